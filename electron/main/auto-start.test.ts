import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyAutoStart, AUTOSTART_FILE, desktopEntry, type AutoStartHost } from './auto-start';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'auto-start-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function host(platform: NodeJS.Platform, calls: boolean[] = []): AutoStartHost {
  return { platform, exec: '/opt/sip2wa station/sip2wa-station', args: ['--no-sandbox-for-%u'], setLoginItem: (on) => calls.push(on), env: { XDG_CONFIG_HOME: dir } };
}

describe('starting the desktop app at login', () => {
  it('on Linux writes an XDG autostart entry that runs the app, and removes it when switched off', async () => {
    const file = await applyAutoStart(true, host('linux'));
    expect(file).toBe(join(dir, 'autostart', AUTOSTART_FILE));
    const entry = readFileSync(file, 'utf8');
    expect(entry.split('\n')).toEqual(expect.arrayContaining(['[Desktop Entry]', 'Type=Application', 'Name=sip2wa station']));
    // Spaces quoted, a literal % doubled (the Exec key's field codes).
    expect(entry).toContain('Exec="/opt/sip2wa station/sip2wa-station" "--no-sandbox-for-%%u"\n');
    await applyAutoStart(false, host('linux'));
    expect(existsSync(file)).toBe(false);
    // Switching off what is already off is fine.
    await expect(applyAutoStart(false, host('linux'))).resolves.toBe(file);
  });

  it('on Windows and macOS sets the login item', async () => {
    const calls: boolean[] = [];
    await applyAutoStart(true, host('win32', calls));
    await applyAutoStart(false, host('darwin', calls));
    expect(calls).toEqual([true, false]);
    expect(existsSync(join(dir, 'autostart'))).toBe(false);
  });

  it('quotes nothing that needs no quotes', () => {
    expect(desktopEntry('/usr/bin/sip2wa-station', [])).toContain('Exec=/usr/bin/sip2wa-station\n');
  });
});
