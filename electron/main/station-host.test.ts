/**
 * The first start: no configuration file, so the desktop app runs the demo (virtual phones on their own
 * adb server) and the operator sees live lines at once. Demo calls stay out of the real call log, and
 * settings saved from the demo become the configuration file, with the passwords sealed.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, killAdbServer } from '../../test/support/adb';
import { waitFor } from '../../test/support/wait';
import { loadConfig } from '../station/config/config-file';
import { appPaths } from './app-paths';
import { safeStorageCodec } from './secrets';
import { StationHost } from './station-host';

vi.mock('electron', () => import('./testing/electron-mock'));

const dir = mkdtempSync(join(tmpdir(), 'sip2wa-host-'));
const configFile = join(dir, 'station.json');
let adbPort: number;
let host: StationHost;

beforeAll(async () => {
  adbPort = await freePort();
  const agents = appPaths({ appData: dir, isPackaged: false, resourcesPath: '' }).agents;
  host = new StationHost({ paths: { userData: dir, configFile, databaseFile: join(dir, 'station.db'), agents }, codec: safeStorageCodec(), demo: { adbPort, basePort: 0, phones: 2 } });
  await host.start();
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await killAdbServer(adbPort);
});

describe('station host', () => {
  it('starts the demo when there is no configuration: virtual phones become ready lines', async () => {
    const station = host.station!;
    expect(host.isDemo).toBe(true);
    expect(station.info()).toMatchObject({ demo: true, pbxConfigured: false });
    expect(station.info().demoContacts.length).toBeGreaterThan(0);
    await waitFor('two ready phones', () => station.lines().filter((l) => l.device?.state === 'ready').length === 2, 30_000);
    expect(existsSync(join(dir, 'station-demo.db'))).toBe(true);
    expect(existsSync(join(dir, 'station.db'))).toBe(false);
  });

  it('saves the demo\'s settings as the configuration file, passwords sealed', async () => {
    const station = host.station!;
    const serial = station.lines()[0]!.device!.serial;
    const config = {
      ...station.settings().config,
      pbx: [{ id: 'office', host: '127.0.0.1', port: 5060, transport: 'udp' }],
      lines: [{ id: 'wa1', serial, pbx: 'office', user: '2001', password: 'first-real-password' }],
    };
    await station.saveSettings(config);
    expect(readFileSync(configFile, 'utf8')).not.toContain('first-real-password');
    expect((await loadConfig(configFile, safeStorageCodec())).lines[0]!.password).toBe('first-real-password');
  });

  it('does not start a refused configuration: no lines, the reason named, the file left as it was', async () => {
    const other = mkdtempSync(join(tmpdir(), 'sip2wa-host-bad-'));
    const file = join(other, 'station.json');
    const bad = JSON.stringify({ version: 1, pbx: [{ id: 'office', host: '127.0.0.1', port: 70000, transport: 'udp' }], lines: [] });
    writeFileSync(file, bad);
    const agents = appPaths({ appData: other, isPackaged: false, resourcesPath: '' }).agents;
    const refused = new StationHost({ paths: { userData: other, configFile: file, databaseFile: join(other, 'station.db'), agents }, codec: safeStorageCodec(), adbPort });
    try {
      const station = await refused.start();
      expect(refused.problem).toMatch(/configuration was refused.*pbx\[0\]\.port: must be 1-65535/);
      expect(refused.isDemo).toBe(false);
      expect(station.config.lines).toEqual([]);
      expect(readFileSync(file, 'utf8')).toBe(bad);
    } finally {
      await refused.stop();
    }
  });
});
