/**
 * The desktop app's password codec over safeStorage: passwords round-trip sealed, and when the system
 * has no real encryption (no keyring: safeStorage unavailable, or Linux's "basic_text" fallback) the
 * app refuses to write them at all and says why.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig, saveConfig } from '../station/config/config-file';
import { safeStorage } from './testing/electron-mock';
import { encryptionStatus, NO_KEYRING, safeStorageCodec } from './secrets';

vi.mock('electron', () => import('./testing/electron-mock'));

const PASSWORD = 'Extension-2001-Secret';
const doc = {
  version: 1,
  pbx: [{ id: 'office', host: '127.0.0.1', port: 5060, transport: 'udp' }],
  lines: [{ id: 'wa1', serial: 'R58M1', pbx: 'office', user: '2001', password: PASSWORD }],
};
const file = () => join(mkdtempSync(join(tmpdir(), 'sip2wa-safe-')), 'station.json');

afterEach(() => {
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
});

describe('safeStorage password codec', () => {
  it('seals the password in the file and opens it again', async () => {
    const f = file();
    await saveConfig(f, doc, safeStorageCodec());
    const text = readFileSync(f, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).toMatch(/"password": "enc:v1:[A-Za-z0-9+/]+=*"/);
    expect((await loadConfig(f, safeStorageCodec())).lines[0]!.password).toBe(PASSWORD);
  });

  it('refuses to store a password without a secret store, and writes nothing', async () => {
    const cases: [string, () => void, boolean][] = [
      ['no encryption at all', () => (safeStorage.available = false), true],
      // Linux without a keyring falls back to a fixed key: as good as plain text.
      ['basic_text backend', () => (safeStorage.backend = 'basic_text'), process.platform === 'linux'],
    ];
    for (const [name, setup, applies] of cases) {
      if (!applies) continue;
      setup();
      expect(encryptionStatus(), name).toEqual({ available: false, reason: NO_KEYRING });
      const f = file();
      await expect(saveConfig(f, doc, safeStorageCodec()), name).rejects.toThrow(`lines[0].password: ${NO_KEYRING}`);
      expect(existsSync(f), name).toBe(false);
      safeStorage.available = true;
      safeStorage.backend = 'gnome_libsecret';
    }
    expect(NO_KEYRING).toMatch(/keyring/);
  });

  it('says plainly when a sealed password cannot be opened', async () => {
    const f = file();
    await saveConfig(f, doc, safeStorageCodec());
    safeStorage.available = false;
    await expect(loadConfig(f, safeStorageCodec())).rejects.toThrow(/lines\[0\]\.password: is encrypted, and the secret store .* not available/);
  });
});
