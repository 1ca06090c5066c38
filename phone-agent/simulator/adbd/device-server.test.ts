/**
 * The virtual adbd against the real adb server (Debian adb 29, private port) and adbkit: the phone is
 * listed, runs shell commands, takes pushes bit-exact, and tunnels forwards to abstract sockets.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Adb } from '../../../electron/station/devices/adbkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../electron/station/util/log';
import { waitFor } from '../../../test/support/wait';
import { connectAdbDevice, disconnectAdbDevice, killAdbServer, listAdbDevices, runAdb } from './adb-host-cli';
import { startBareAdbd, startPrivateAdbServer, type BareAdbd } from './test-support';

let adbPort: number;
let phone: BareAdbd;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'adbd-test-'));

beforeAll(async () => {
  setLogLevel('warn');
  adbPort = await startPrivateAdbServer();
  phone = await startBareAdbd({ 'ro.serialno': 'BARE0001', 'ro.product.model': 'Bare_Adbd' });
  // An echo service on @echo, the way the agent listens on @sip2wa_agent.
  phone.sockets.listen('echo', (stream) => stream.pipe(stream));
  await connectAdbDevice(adbPort, phone.serial);
});

afterAll(async () => {
  await phone?.server.close();
  await killAdbServer(adbPort);
});

/** Connects to a forward's local port; resolves with everything received until the tunnel closes. */
function roundTrip(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = net.connect(port, '127.0.0.1', () => {
      if (payload.length) sock.write(payload);
    });
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      if (payload.length && chunks.reduce((s, x) => s + x.length, 0) >= payload.length) sock.end();
    });
    sock.on('error', reject);
    sock.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

describe('virtual adbd with the adb command line', () => {
  it('is listed as a device with its model', async () => {
    const out = await runAdb(adbPort, ['devices', '-l']);
    expect(out).toMatch(new RegExp(`${phone.serial.replace(/\./g, '\\.')}\\s+device .*model:Bare_Adbd`));
  });

  it('runs shell commands', async () => {
    expect(await runAdb(adbPort, ['-s', phone.serial, 'shell', 'getprop', 'ro.serialno'])).toBe('BARE0001\n');
    expect(await runAdb(adbPort, ['-s', phone.serial, 'shell', 'echo hello && nosuchcmd'])).toBe(
      'hello\n/system/bin/sh: nosuchcmd: inaccessible or not found\n',
    );
  });

  it('takes a push that shell then sees, and a 1 MiB push bit-exact, and pulls it back', async () => {
    const small = path.join(tmp, 'hello.txt');
    writeFileSync(small, 'hi from the host\n');
    await runAdb(adbPort, ['-s', phone.serial, 'push', small, '/data/local/tmp/']);
    expect(await runAdb(adbPort, ['-s', phone.serial, 'shell', 'cat /data/local/tmp/hello.txt'])).toBe('hi from the host\n');

    const big = randomBytes(1024 * 1024);
    const bigFile = path.join(tmp, 'big.bin');
    writeFileSync(bigFile, big);
    await runAdb(adbPort, ['-s', phone.serial, 'push', bigFile, '/sdcard/big.bin']);
    expect(phone.fs.readFile('/sdcard/big.bin')!.equals(big)).toBe(true);

    const back = path.join(tmp, 'back.bin');
    await runAdb(adbPort, ['-s', phone.serial, 'pull', '/sdcard/big.bin', back]);
    expect(readFileSync(back).equals(big)).toBe(true);
  });

  it('tunnels a forward to an abstract socket, 1 MiB round trip bit-exact', async () => {
    const port = Number((await runAdb(adbPort, ['-s', phone.serial, 'forward', 'tcp:0', 'localabstract:echo'])).trim());
    const payload = randomBytes(1024 * 1024);
    const echoed = await roundTrip(port, payload);
    expect(echoed.length).toBe(payload.length);
    expect(echoed.equals(payload)).toBe(true);
  });

  it('lets a forward to a missing abstract socket connect, then closes it', async () => {
    const port = Number((await runAdb(adbPort, ['-s', phone.serial, 'forward', 'tcp:0', 'localabstract:nobody'])).trim());
    const got = await roundTrip(port, Buffer.alloc(0));
    expect(got.length).toBe(0);
  });

  it('drops a host connection that sends garbage and keeps serving', async () => {
    const sock = net.connect(phone.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const closed = new Promise((r) => sock.once('close', r));
    sock.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await closed;
    expect(await runAdb(adbPort, ['-s', phone.serial, 'shell', 'echo still here'])).toBe('still here\n');
  });
});

describe('virtual adbd with adbkit', () => {
  it('lists the device, runs shell, pushes', async () => {
    const client = Adb.createClient({ port: adbPort });
    const devices = await client.listDevices();
    expect(devices).toContainEqual(expect.objectContaining({ id: phone.serial, type: 'device' }));
    const device = client.getDevice(phone.serial);
    const out = (await Adb.util.readAll(await device.shell('getprop'))).toString('utf8');
    expect(out).toContain('[ro.serialno]: [BARE0001]');

    const data = randomBytes(300 * 1024 + 7);
    // A byte stream (not object mode): adbkit then cuts DATA chunks at 64 KiB, as adbd requires.
    const transfer = await device.push(Readable.from([data], { objectMode: false }), '/data/local/tmp/kit.bin', 0o644);
    await new Promise<void>((resolve, reject) => {
      transfer.on('end', resolve);
      transfer.on('error', reject);
    });
    expect(phone.fs.readFile('/data/local/tmp/kit.bin')!.equals(data)).toBe(true);
    const stat = await device.stat('/data/local/tmp/kit.bin');
    expect(stat.size).toBe(data.length);
    const names = (await device.readdir('/data/local/tmp')).map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['hello.txt', 'kit.bin']));
  });

  it('tracks the device going away on adb disconnect and coming back on connect', async () => {
    const client = Adb.createClient({ port: adbPort });
    const tracker = await client.trackDevices();
    const events: string[] = [];
    tracker.on('add', (d: { id: string; type: string }) => events.push(`add ${d.id}`));
    tracker.on('remove', (d: { id: string }) => events.push(`remove ${d.id}`));
    try {
      await disconnectAdbDevice(adbPort, phone.serial);
      expect((await listAdbDevices(adbPort)).map((d) => d.serial)).not.toContain(phone.serial);
      await connectAdbDevice(adbPort, phone.serial);
      await waitFor('the tracker to see the phone again', () => events.includes(`add ${phone.serial}`));
      // Gone first, then back.
      expect(events.indexOf(`remove ${phone.serial}`)).toBeGreaterThanOrEqual(0);
      expect(events.indexOf(`remove ${phone.serial}`)).toBeLessThan(events.lastIndexOf(`add ${phone.serial}`));
    } finally {
      tracker.end();
    }
  });
});
