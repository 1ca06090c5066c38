/**
 * The demo's command line as a newcomer uses it: two demos side by side on one machine, each on its own
 * adb server and its own phone ports; a third asking for an adb server another demo's phones are on is
 * refused saying so; `--scenario FILE` gives the virtual phones that file's contacts; the demo's
 * incoming call and message are refused outside the demo, and the call when the line could ring no
 * extension.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LineView } from '../electron/station/api/types';
import { freePort, killAdbServer } from './support/adb';
import { startServe, type ServeRun } from './support/serve-process';
import { waitFor } from './support/wait';
import { spawn } from 'node:child_process';

const adbPorts: number[] = [];
const runs: ServeRun[] = [];
afterAll(async () => {
  for (const r of runs) await r.stop();
  for (const p of adbPorts) await killAdbServer(p);
}, 30_000);

async function demo(args: string[]): Promise<ServeRun & { adbPort: number }> {
  const adbPort = await freePort();
  adbPorts.push(adbPort);
  const run = await startServe(['--demo', '--adb-port', String(adbPort), '--data', mkdtempSync(join(tmpdir(), 'sip2wa-demo-')), ...args], await freePort());
  runs.push(run);
  return { ...run, adbPort };
}

const ready = (run: ServeRun, count: number) =>
  waitFor(`${count} ready demo lines`, () => {
    const l = run.client.lines();
    return l.length === count && l.every((x) => x.device?.state === 'ready') ? l : undefined;
  }, 30_000).then((r) => r.value);

const serials = (lines: LineView[]) => lines.map((l) => l.device!.serial).sort();

describe('the demo on the command line', () => {
  it('runs two demos side by side, each with its own adb server and phones; a third on a taken adb server is refused', { timeout: 120_000 }, async () => {
    const a = await demo(['--demo-phones', '2']);
    const b = await demo(['--demo-phones', '2']);
    const [linesA, linesB] = [await ready(a, 2), await ready(b, 2)];
    // Each station sees its own two phones only, on ports of their own.
    expect(serials(linesA).filter((s) => serials(linesB).includes(s))).toEqual([]);
    expect(a.output()).toMatch(new RegExp(`virtual phones \\(ports \\d+-\\d+\\) on the adb server at port ${a.adbPort}`));
    expect(b.output()).toMatch(new RegExp(`on the adb server at port ${b.adbPort}`));

    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/station/serve.ts', '--demo', '--adb-port', String(a.adbPort), '--port', String(await freePort()), '--demo-base-port', '0', '--data', mkdtempSync(join(tmpdir(), 'sip2wa-demo-'))], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(output).toContain(`--adb-port ${a.adbPort}: the adb server there already has phones of another demo (`);
    expect(output).toContain('give this demo its own with --adb-port');
    // The first demo still has its two phones.
    expect(serials(await ready(a, 2))).toEqual(serials(linesA));
  });

  it("takes the virtual phones' scenario file: its contacts call and write as the file says", { timeout: 90_000 }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sip2wa-scenario-')), 'scenario.json');
    writeFileSync(
      file,
      JSON.stringify({
        contacts: [
          { number: '4915100000001', name: 'Anna', behaviour: 'echo' },
          { number: '4915100000002', name: 'Ben', behaviour: 'tone', frequencyHz: 660 },
        ],
      }),
    );
    const run = await demo(['--demo-phones', '1', '--demo-base-port', '0', '--scenario', file]);
    const info = await run.client.result('station.info', {});
    expect(info.demoContacts).toEqual([
      { number: '4915100000001', name: 'Anna', behaviour: 'echo' },
      { number: '4915100000002', name: 'Ben', behaviour: 'tone' },
    ]);
    expect(info.echoNumber).toBe('4915100000001');
    const [line] = await ready(run, 1);
    expect(line!.agent?.account).toBe('15550200001');
    // A contact of the file writes to the line's phone from the console: the station records it with the file's name.
    expect(await run.client.result('demo.incomingMessage', { lineId: line!.id, from: '4915100000002', text: 'from the console' })).toEqual({ sent: true, lineId: line!.id, from: '4915100000002' });
    const { value: received } = await waitFor('the message', async () => (await run.client.result('messages.list', {})).find((m) => m.text === 'from the console'), 20_000);
    expect(received).toMatchObject({ peer: '4915100000002', name: 'Ben', direction: 'received', lineId: line!.id });
    // Without a PBX the line could ring no extension: the incoming call is refused saying so.
    expect(await run.client.call('demo.incomingCall', { lineId: line!.id, from: '4915100000002' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/has no SIP account yet, so the call would ring no extension: connect a PBX/),
    });
  });

  it('refuses the demo commands outside the demo', { timeout: 60_000 }, async () => {
    const adbPort = await freePort();
    adbPorts.push(adbPort);
    const run = await startServe(['--no-demo', '--adb-port', String(adbPort), '--data', mkdtempSync(join(tmpdir(), 'sip2wa-data-'))], await freePort());
    runs.push(run);
    expect(await run.client.call('demo.incomingCall', { lineId: 'wa1', from: '15550100001' })).toMatchObject({ ok: false, error: expect.stringMatching(/^demo\.incomingCall: only the demo has simulated WhatsApp contacts/) });
    expect(await run.client.call('demo.incomingMessage', { lineId: 'wa1', from: '15550100001', text: 'hi' })).toMatchObject({ ok: false, error: expect.stringMatching(/^demo\.incomingMessage: only the demo/) });
    expect(await run.client.call('demo.incomingCall', { lineId: 'wa1', from: '+1555' })).toMatchObject({ ok: false, error: expect.stringMatching(/from: must be the contact's number/) });
  });
});
