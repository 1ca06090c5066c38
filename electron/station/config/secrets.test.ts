import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, saveConfig } from './config-file';
import { bytesFromSealed, hasPlainSecrets, isSealed, plainCodec, sealedFromBytes, type SecretCodec } from './secrets';

/** A real encrypting codec (AES-256-GCM with a per-run key), standing where safeStorage stands in the app. */
function aesCodec(key = randomBytes(32)): SecretCodec {
  return {
    kind: 'encrypted',
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return sealedFromBytes(Buffer.concat([iv, c.getAuthTag(), body]));
    },
    open(sealed) {
      const bytes = bytesFromSealed(sealed);
      const d = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      d.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([d.update(bytes.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

const PASSWORDS = ['s3cret-pass-1', 'ünïcode & "quotes"'];
const doc = {
  version: 1,
  pbx: [{ id: 'office', host: '127.0.0.1', port: 5060, transport: 'udp' }],
  lines: PASSWORDS.map((password, i) => ({ id: `wa${i + 1}`, serial: `R58M${i}`, pbx: 'office', user: `200${i + 1}`, password })),
};
const dir = () => mkdtempSync(join(tmpdir(), 'sip2wa-secrets-'));

describe('SIP passwords at rest', () => {
  it('seals every password in the saved file and opens them again on load', async () => {
    const codec = aesCodec();
    const file = join(dir(), 'station.json');
    const saved = await saveConfig(file, doc, codec);
    expect(saved.lines.map((l) => l.password)).toEqual(PASSWORDS);
    const text = readFileSync(file, 'utf8');
    for (const p of PASSWORDS) expect(text).not.toContain(p);
    for (const p of PASSWORDS) expect(text).not.toContain(JSON.stringify(p).slice(1, -1));
    const stored = JSON.parse(text) as typeof doc;
    expect(stored.lines.every((l) => isSealed(l.password))).toBe(true);
    expect(hasPlainSecrets(stored)).toBe(false);
    expect((await loadConfig(file, codec)).lines.map((l) => l.password)).toEqual(PASSWORDS);
  });

  it('reads a file saved in plain text with the encrypting codec, and seals it on the next save (migration)', async () => {
    const file = join(dir(), 'station.json');
    await saveConfig(file, doc);
    expect(readFileSync(file, 'utf8')).toContain(PASSWORDS[0]);
    expect(hasPlainSecrets(JSON.parse(readFileSync(file, 'utf8')))).toBe(true);
    const codec = aesCodec();
    const config = await loadConfig(file, codec);
    expect(config.lines.map((l) => l.password)).toEqual(PASSWORDS);
    await saveConfig(file, config, codec);
    expect(readFileSync(file, 'utf8')).not.toContain(PASSWORDS[0]);
    expect((await loadConfig(file, codec)).lines[0]!.password).toBe(PASSWORDS[0]);
  });

  it('refuses a sealed password it cannot open, naming the field, instead of sending it to the PBX', async () => {
    const file = join(dir(), 'station.json');
    const codec = aesCodec();
    await saveConfig(file, doc, codec);
    const withoutCodec = await loadConfig(file).catch((e: unknown) => e);
    expect(withoutCodec).toBeInstanceOf(ConfigError);
    expect((withoutCodec as ConfigError).issues[0]).toMatchObject({ path: 'lines[0].password', message: expect.stringMatching(/encrypted .*cannot be opened here/) });
    // Another key (another login or machine): the codec's own failure, still naming the field.
    const otherKey = await loadConfig(file, aesCodec()).catch((e: unknown) => e);
    expect((otherKey as ConfigError).issues[0]!.path).toBe('lines[0].password');
    const damaged = JSON.parse(readFileSync(file, 'utf8')) as typeof doc;
    damaged.lines[1]!.password = 'enc:v1:not base64!';
    writeFileSync(file, JSON.stringify(damaged));
    const bad = (await loadConfig(file, codec).catch((e: unknown) => e)) as ConfigError;
    expect(bad.issues).toEqual([{ path: 'lines[1].password', message: 'is damaged: the sealed value is not base64' }]);
  });

  it('writes nothing when the codec refuses to seal: no plaintext reaches the disk', async () => {
    const folder = dir();
    const file = join(folder, 'station.json');
    const refusing: SecretCodec = {
      kind: 'encrypted',
      seal: () => {
        throw new Error('no secret store on this computer');
      },
      open: (s) => s,
    };
    await expect(saveConfig(file, doc, refusing)).rejects.toThrow('lines[0].password: no secret store on this computer');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('leaves an already sealed value as it is and never seals with the plain codec', () => {
    expect(plainCodec.seal('x')).toBe('x');
    expect(() => plainCodec.open('enc:v1:AAAA')).toThrow(/encrypted/);
    expect(() => bytesFromSealed('plain')).toThrow(/not in the sealed form/);
  });
});
