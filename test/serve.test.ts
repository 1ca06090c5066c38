/**
 * `npm run serve` as an operator runs it: a process with no display that serves GET /api/lines on
 * loopback, refuses bad arguments clearly, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LineView } from '../electron/station/api/types';
import { VirtualPhone } from '../phone-agent/simulator/virtual-phone';
import { SimulatedWhatsApp } from '../phone-agent/simulator/whatsapp';
import { isAdbServerRunning } from '../phone-agent/simulator/adbd/adb-host-cli';
import { freePort, killAdbServer } from './support/adb';
import { waitFor } from './support/wait';

/** What `npm run serve` runs: node with tsx as its loader, one process, so a signal reaches the station itself. */
const SERVE_SCRIPT = 'node --import tsx electron/station/serve.ts';

function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [...SERVE_SCRIPT.split(' ').slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const ports: number[] = [];
afterAll(async () => {
  for (const p of ports) await killAdbServer(p);
});

describe('npm run serve', () => {
  it('serves the lines of the phones it finds and stops on SIGTERM', async () => {
    const adbPort = await freePort();
    const apiPort = await freePort();
    ports.push(adbPort);
    const proc = serve(['--no-demo', '--port', String(apiPort), '--adb-port', String(adbPort), '--data', mkdtempSync(join(tmpdir(), 'sip2wa-data-'))]);
    let exitCode: number | null = null;
    const phone = new VirtualPhone({ index: 7, port: 0, adbPort, whatsapp: new SimulatedWhatsApp() });
    try {
      // What it prints (stdout) is the console's address, the page to open, not the JSON API's; its log
      // line (stderr) may come before or after it.
      await waitFor('the console address printed', () => /sip2wa station: open the console at /.test(proc.output()), 20_000);
      expect(proc.output()).toContain(`sip2wa station: open the console at http://127.0.0.1:${apiPort}/\n`);
      await phone.start();
      await phone.plug();
      const { value } = await waitFor('a ready line', async () => {
        const res = await fetch(`http://127.0.0.1:${apiPort}/api/lines`);
        const lines = (await res.json()) as LineView[];
        return lines.find((l) => l.device?.state === 'ready');
      });
      expect(value.id).toBe(phone.serial);
      expect(value.agent?.account).toBe(phone.device.account);
      const post = await fetch(`http://127.0.0.1:${apiPort}/api/lines`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(((await post.json()) as { error: string }).error).toMatch(/use GET/);
    } finally {
      // Stopped either way; a failure above is reported as itself, not as the exit code it causes.
      proc.child.kill('SIGTERM');
      exitCode = await proc.exited;
      await phone.stop();
    }
    expect(exitCode).toBe(0);
  });

  it('stops cleanly on a SIGTERM that arrives while it is still starting', async () => {
    const adbPort = await freePort();
    ports.push(adbPort);
    const proc = serve(['--no-demo', '--port', String(await freePort()), '--adb-port', String(adbPort), '--data', mkdtempSync(join(tmpdir(), 'sip2wa-data-'))]);
    // Its first line comes before it starts the adb server and the station.
    await waitFor('the first log line', () => proc.output().length > 0, 20_000);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toMatch(/SIGTERM(: stopping| while starting: stopping once started)/);
    // The process signalled here is the one `npm run serve` starts: no wrapper relays the signal (tsx's
    // command line gives its child 30 ms to take a signal, then kills it: on a busy machine, exit 143).
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.serve).toBe(SERVE_SCRIPT);
  });

  it('refuses a bad port and a non-loopback address with the reason', async () => {
    const bad = serve(['--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/--port must be a port number/);
    const open = serve(['--host', '0.0.0.0']);
    expect(await open.exited).toBe(2);
    expect(open.output()).toMatch(/beyond loopback the console API needs an access token/);
  });

  it('refuses an access token of blanks or of one character repeated, naming where it came from', async () => {
    const blanks = serve(['--host', '0.0.0.0'], { SIP2WA_TOKEN: ' '.repeat(24) });
    const repeated = serve(['--host', '0.0.0.0'], { SIP2WA_TOKEN: 'x'.repeat(32) });
    const flag = serve(['--token', '0'.repeat(20)]);
    expect(await blanks.exited).toBe(2);
    expect(blanks.output()).toMatch(/SIP2WA_TOKEN: the access token is empty or only blanks/);
    expect(await repeated.exited).toBe(2);
    expect(repeated.output()).toMatch(/SIP2WA_TOKEN: the access token is one character repeated/);
    expect(repeated.output()).not.toContain('x'.repeat(32));
    expect(await flag.exited).toBe(2);
    expect(flag.output()).toMatch(/--token: the access token is one character repeated/);
  });

  it('explains each option in --help and starts nothing', async () => {
    const proc = serve(['--help']);
    expect(await proc.exited).toBe(0);
    for (const option of ['--config FILE', '--data DIR', '--host ADDRESS', '--port PORT', '--token TOKEN', '--adb-port PORT', '--demo ', '--no-demo', '--demo-phones N', '--demo-base-port P', '--scenario FILE']) {
      expect(proc.output()).toContain(option);
    }
    expect(proc.output()).toMatch(/Two demos on one machine: give each its own --port and --adb-port/);
  });

  it('checks the console port before anything starts: a port in use is named, with --port suggested', async () => {
    const apiPort = await freePort();
    const adbPort = await freePort();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(apiPort, '127.0.0.1', resolve));
    try {
      const proc = serve(['--demo', '--port', String(apiPort), '--adb-port', String(adbPort), '--data', mkdtempSync(join(tmpdir(), 'sip2wa-data-'))]);
      expect(await proc.exited).toBe(2);
      expect(proc.output()).toContain(`--port ${apiPort}: 127.0.0.1:${apiPort} is in use (another station or program listens there); choose another with --port, e.g. --port ${apiPort + 1}`);
      // Refused before the demo's adb server or phones were started.
      expect(await isAdbServerRunning(adbPort)).toBe(false);
      expect(proc.output()).not.toMatch(/starting the station/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('names the line and column where a configuration file stops being JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sip2wa-serve-')), 'station.json');
    writeFileSync(file, '{\n  "version": 1,\n  "pbx": [],\n}\n');
    const proc = serve(['--config', file]);
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toContain(`configuration refused: ${file}: not valid JSON at line 4, column 1: expected a property name in double quotes, found "}"`);
  });

  it('refuses a bad scenario file before anything starts, naming the file, the field and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sip2wa-serve-'));
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify({ contacts: [{ number: '15550109999', behaviour: 'sing' }] }));
    const adbPort = await freePort();
    const proc = serve(['--demo', '--scenario', file, '--port', String(await freePort()), '--adb-port', String(adbPort), '--data', dir]);
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toContain(`--scenario: scenario ${file}: contacts[0].behaviour is "sing", expected one of echo, tone, wav, reject, offline, not-on-whatsapp, busy`);
    expect(await isAdbServerRunning(adbPort)).toBe(false);
    const missing = serve(['--demo', '--scenario', join(dir, 'none.json'), '--port', String(await freePort()), '--adb-port', String(adbPort), '--data', dir]);
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toMatch(/--scenario: scenario .*none\.json: \(file\) cannot be read as JSON: ENOENT/);
  });

  it('refuses a bad configuration file, naming the field and the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sip2wa-serve-'));
    const file = join(dir, 'station.json');
    writeFileSync(file, JSON.stringify({ version: 1, pbx: [{ id: 'office', host: '127.0.0.1', port: 99999 }] }));
    const proc = serve(['--config', file]);
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toMatch(/configuration refused: .*pbx\[0\]\.port: must be 1-65535/);
  });
});
