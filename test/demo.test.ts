/**
 * A first start as a newcomer sees it: `npm run serve` with no configuration runs the demo: virtual
 * phones become live lines that say plainly that no PBX is configured; the station names its demo
 * contacts; settings refuse a bad value naming the field and, saved with a PBX, the lines change their
 * reason and the next start reads the saved file.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StationConfig } from '../electron/station/config/schema';
import { freePort, killAdbServer } from './support/adb';
import { waitFor } from './support/wait';
import { startServe } from './support/serve-process';

const adbPorts: number[] = [];
afterAll(async () => {
  for (const p of adbPorts) await killAdbServer(p);
});

async function serve(dataDir: string) {
  const [apiPort, adbPort] = [await freePort(), await freePort()];
  adbPorts.push(adbPort);
  return startServe(['--data', dataDir, '--adb-port', String(adbPort), '--demo-base-port', '0', '--demo-phones', '3'], apiPort);
}

describe('first start: the demo', () => {
  it('shows live demo lines without a PBX, and settings lead to connecting one', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sip2wa-demo-'));
    const first = await serve(dataDir);
    try {
      expect(first.output()).toMatch(/no configuration yet .*starting the demo/);
      const info = await first.client.result('station.info', {});
      expect(info).toMatchObject({ demo: true, pbxConfigured: false, echoNumber: expect.stringMatching(/^\d+$/) });
      expect(info.demoContacts.map((c) => c.behaviour)).toEqual(expect.arrayContaining(['echo', 'reject', 'offline', 'not-on-whatsapp']));
      const { value: lines } = await waitFor('3 ready demo lines', () => {
        const l = first.client.lines();
        return l.length === 3 && l.every((x) => x.device?.state === 'ready') ? l : undefined;
      }, 30_000);
      for (const line of lines) {
        expect(line.registration).toMatchObject({ state: 'disabled', reason: 'no PBX configured: open Settings to connect one' });
        expect(line.agent?.account).toMatch(/^\d+$/);
        expect(line.today).toMatchObject({ attempts: 0, uniqueNumbers: 0 });
      }
      const events = await first.client.result('events.list', {});
      expect(events.map((e) => e.message)).toContain('no PBX is configured: the lines cannot register; open Settings to connect one');

      // A line without SIP cannot be switched; the refusal says why.
      expect(await first.client.call('line.setEnabled', { lineId: lines[0]!.id, enabled: false })).toMatchObject({ ok: false, error: expect.stringMatching(/has no SIP account/) });

      // A test dial before the phone has a line of its own: its record is the phone's (id = serial) for now.
      await first.client.result('testDial.start', { lineId: lines[0]!.id, number: info.echoNumber! });
      await waitFor('the test dial answered', () => first.client.lines().find((l) => l.id === lines[0]!.id)?.call?.state === 'connected', 20_000);
      await first.client.result('testDial.hangUp', {});
      await waitFor('the test dial ended', async () => (await first.client.result('calls.query', { lineId: lines[0]!.id })).records[0]?.endedAt, 20_000);

      const { config } = await first.client.result('settings.get', {});
      const bad = { ...config, pbx: [{ id: 'office', host: '127.0.0.1', port: 70000 }] };
      expect(await first.client.call('settings.save', { config: bad })).toMatchObject({ ok: false, error: 'settings: pbx[0].port: must be 1-65535' });
      expect(existsSync(join(dataDir, 'station.json'))).toBe(false);

      const good: StationConfig = {
        ...config,
        pbx: [{ id: 'office', host: '127.0.0.1', port: 5999, transport: 'udp', keepaliveSeconds: 25, registerExpires: 300 }],
        lines: [{ id: 'wa1', serial: lines[0]!.id, pbx: 'office', user: '2001', password: 'line-secret-2001', codecs: ['G722'], enabled: true }],
      };
      const saved = await first.client.result('settings.save', { config: good });
      expect(saved.config.lines[0]!.password).toBe('********');
      const file = JSON.parse(readFileSync(join(dataDir, 'station.json'), 'utf8')) as StationConfig;
      expect(file.lines[0]!.serial).toBe(lines[0]!.id);
      const after = await waitFor('the line with its account, the other phones asking for one', () => {
        const l = first.client.lines();
        const wa1 = l.find((x) => x.id === 'wa1');
        return wa1 && l.length === 3 && l.filter((x) => x.registration.reason === 'no SIP account configured for this phone').length === 2 ? l : undefined;
      }, 10_000);
      expect(after.value[0]).toMatchObject({ id: 'wa1', sip: { user: '2001', pbx: 'office' } });
      // The early test dial is now listed under wa1, the line that phone belongs to, with the phone's serial.
      const filed = await first.client.result('calls.query', { lineId: 'wa1' });
      expect(filed.records.map((r) => [r.direction, r.lineId, r.deviceSerial])).toEqual([['test-dial', 'wa1', lines[0]!.id]]);
      expect((await first.client.result('calls.query', { lineId: lines[0]!.id })).records).toEqual([]);
      expect(first.output()).not.toContain('line-secret-2001');
    } finally {
      expect(await first.stop()).toBe(0);
    }
    // The next start reads what was saved, and no longer runs the demo.
    const second = await serve(dataDir);
    try {
      expect(second.output()).not.toMatch(/starting the demo/);
      expect(await second.client.result('station.info', {})).toMatchObject({ demo: false, pbxConfigured: true });
      expect((await second.client.result('settings.get', {})).config.lines[0]).toMatchObject({ id: 'wa1', password: '********' });
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
