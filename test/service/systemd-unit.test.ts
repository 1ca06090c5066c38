/**
 * The service unit as scripts/install-service.sh writes it, checked by systemd's own parser:
 * `systemd-analyze verify` (it works without systemd as PID 1, in a container too). It exits 0 on an
 * unknown key or a bad value and only warns, so a clean unit is exit 0 with nothing said.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'sip2wa-unit-'));
const unit = join(dir, 'sip2wa-station.service');
let text = '';

function verify(file: string): { status: number | null; said: string } {
  const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, said: `${r.stdout}${r.stderr}`.trim() };
}

beforeAll(() => {
  execFileSync('bash', [join(ROOT, 'scripts/install-service.sh'), '--output', unit, '--user', userInfo().username]);
  text = readFileSync(unit, 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the systemd unit', () => {
  it('passes systemd-analyze verify without a warning', () => {
    expect(verify(unit)).toEqual({ status: 0, said: '' });
  });

  it('runs npm run serve from this checkout as the user, on the data folder, restarting on failure', () => {
    const keys = (k: string) => text.split('\n').filter((l) => l.startsWith(`${k}=`)).map((l) => l.slice(k.length + 1));
    expect(keys('User')).toEqual([userInfo().username]);
    expect(keys('WorkingDirectory')).toEqual([ROOT]);
    expect(keys('Restart')).toEqual(['on-failure']);
    expect(keys('StateDirectory')).toEqual(['sip2wa-station']);
    expect(keys('ExecStart')[0]).toMatch(/^\/\S+\/npm run serve --silent -- --data %S\/sip2wa-station --host \$\{SIP2WA_HOST\} --port \$\{SIP2WA_PORT\} /);
    expect(keys('EnvironmentFile')).toEqual(['-/etc/sip2wa-station/env']);
    // The phones (usbfs) and the headset (ALSA) stay reachable under the hardening.
    expect(keys('DeviceAllow')).toEqual(['char-usb_device rw', 'char-alsa rw']);
    expect(keys('SupplementaryGroups')).toEqual(['plugdev audio']);
    expect(keys('ProtectSystem')).toEqual(['strict']);
    // No secret in the unit: the token comes from the root-only environment file.
    expect(text).not.toMatch(/SIP2WA_TOKEN=/);
    expect(text).not.toMatch(/@[A-Z]+@/);
  });

  it('is checked for real: a broken copy draws systemd-analyze warnings', () => {
    const broken = join(dir, 'broken.service');
    writeFileSync(broken, text.replace('Restart=on-failure', 'Restart=sometimes'));
    expect(verify(broken).said).toMatch(/Failed to parse service restart specifier/);
  });
});
