/**
 * A virtual phone as the station meets it through the real adb server (private port): its properties
 * and battery, the agent started like scrcpy's server after a push, stopped by pkill, unplug/replug,
 * coming back after `adb kill-server`, and a farm of 8 phones.
 */
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../electron/station/util/log';
import { waitFor } from '../../test/support/wait';
import { FrameDecoder, PROTOCOL_VERSION, type AgentMessage } from '../protocol';
import { killAdbServer, listAdbDevices, runAdb, startAdbServer } from './adbd';
import { startPrivateAdbServer } from './adbd/test-support';
import { VirtualPhone } from './virtual-phone';
import { VirtualPhoneFarm } from './virtual-phone-farm';
import { SimulatedWhatsApp } from './whatsapp';

const AGENT_JAR = fileURLToPath(new URL('./virtual-agent.jar', import.meta.url));
const START_AGENT =
  'CLASSPATH=/data/local/tmp/sip2wa-agent.jar app_process / org.sip2wa.agent.Main --socket sip2wa_agent --daemon';

let adbPort: number;
let whatsapp: SimulatedWhatsApp;
let phone: VirtualPhone;

const sh = (command: string): Promise<string> => runAdb(adbPort, ['-s', phone.serial, 'shell', command]);

/** Opens a forward to the agent; resolves with the first message it sends, or null if the tunnel closes. */
async function firstAgentMessage(): Promise<AgentMessage | null> {
  const port = Number((await runAdb(adbPort, ['-s', phone.serial, 'forward', 'tcp:0', 'localabstract:sip2wa_agent'])).trim());
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder();
    const sock = net.connect(port, '127.0.0.1');
    sock.on('data', (chunk: Buffer) => {
      const [msg] = decoder.push(chunk);
      if (msg) {
        sock.destroy();
        resolve(msg);
      }
    });
    sock.on('error', reject);
    sock.on('close', () => resolve(null));
  });
}

beforeAll(async () => {
  setLogLevel('warn');
  adbPort = await startPrivateAdbServer();
  whatsapp = new SimulatedWhatsApp();
  phone = new VirtualPhone({ index: 7, port: 0, adbPort, whatsapp });
  await phone.start();
  await phone.plug();
});

afterAll(async () => {
  await phone?.stop();
  await killAdbServer(adbPort);
});

describe('virtual phone', () => {
  it('reports its properties and battery as Android prints them', async () => {
    expect(await sh('getprop ro.serialno')).toBe('VP0007\n');
    expect(await sh('getprop ro.sip2wa.virtual')).toBe('1\n');
    expect(await sh('getprop sys.boot_completed')).toBe('1\n');
    const all = await sh('getprop');
    expect(all).toContain('[ro.product.model]: [Virtual Phone]\n');
    expect(all).toContain('[ro.build.version.sdk]: [34]\n');
    const battery = await sh('dumpsys battery');
    expect(battery).toMatch(/^Current Battery Service state:\n/);
    expect(battery).toContain('  USB powered: true\n  ');
    expect(battery).toContain('  level: 80\n');
    expect(battery).toContain('  temperature: 300\n');
    expect(battery).toContain('  status: 2\n');
    phone.device.batteryLevel = 42;
    expect(await sh('dumpsys battery')).toContain('  level: 42\n');
    expect(await sh('frobnicate now')).toBe('/system/bin/sh: frobnicate: inaccessible or not found\n');
  });

  it('refuses to start the agent before it was pushed', async () => {
    expect(await sh(START_AGENT)).toBe('Error: Could not find or load main class org.sip2wa.agent.Main\n');
    expect(phone.agentRunning).toBe(false);
    expect(await firstAgentMessage()).toBeNull();
  });

  it('starts the pushed agent, which greets a forward with its hello', async () => {
    await runAdb(adbPort, ['-s', phone.serial, 'push', AGENT_JAR, '/data/local/tmp/sip2wa-agent.jar']);
    expect(await sh(`sh -c '${START_AGENT}'`)).toBe('sip2wa-agent: listening on @sip2wa_agent\n');
    expect(phone.agentRunning).toBe(true);
    const hello = await firstAgentMessage();
    expect(hello).toMatchObject({ type: 'hello', version: PROTOCOL_VERSION });
    // Started again the station's way (detached, output discarded): the running agent stays.
    const pid = (await sh('pidof app_process')).trim();
    expect(pid).toMatch(/^\d+$/);
    expect(await sh(`${START_AGENT} >/dev/null 2>&1 &`)).toBe('');
    expect((await sh('pidof app_process')).trim()).toBe(pid);
    expect(await sh('ps -A | grep app_process')).toMatch(new RegExp(`^shell\\s+${pid} .* app_process\\n$`));
  });

  it('keeps the agent running across unplug and replug', async () => {
    await phone.unplug();
    expect((await listAdbDevices(adbPort)).map((d) => d.serial)).not.toContain(phone.serial);
    expect(phone.agentRunning).toBe(true);
    await phone.plug();
    expect(await firstAgentMessage()).toMatchObject({ type: 'hello' });
  });

  it('stops the agent on pkill -f', async () => {
    await sh('pkill -f org.sip2wa.agent');
    expect(phone.agentRunning).toBe(false);
    expect(await sh('pidof app_process')).toBe('');
    expect(await firstAgentMessage()).toBeNull();
    // And it can be started again, then crashed by the test hook.
    await sh(`CLASSPATH=/data/local/tmp/sip2wa-agent.jar nohup app_process / org.sip2wa.agent.Main --socket sip2wa_agent --daemon >/dev/null 2>&1 &`);
    expect(phone.agentRunning).toBe(true);
    phone.crashAgent();
    expect(phone.agentRunning).toBe(false);
  });

  it('plugs itself in again after adb kill-server once a server runs again', async () => {
    await killAdbServer(adbPort);
    // The phone saw its server go before another one starts: what follows is its own re-plug.
    await waitFor('the phone to lose its adb connection', () => !phone.adbConnected);
    await startAdbServer(adbPort);
    await waitFor('adb to list the phone as a device again', async () => (await listAdbDevices(adbPort)).find((d) => d.serial === phone.serial)?.state === 'device', 15_000, 100);
    expect(phone.adbConnected).toBe(true);
  });
});

describe('virtual phone farm', () => {
  it('plugs 8 phones that adb lists as devices with distinct serials', async () => {
    const farm = new VirtualPhoneFarm({ count: 8, basePort: 0, adbPort });
    try {
      await farm.start();
      const devices = await listAdbDevices(adbPort);
      for (const p of farm.phones) expect(devices).toContainEqual({ serial: p.serial, state: 'device' });
      expect(new Set(farm.phones.map((p) => p.device.account)).size).toBe(8);
      expect(farm.phones.map((p) => p.device.serialNo)).toEqual(['VP0001', 'VP0002', 'VP0003', 'VP0004', 'VP0005', 'VP0006', 'VP0007', 'VP0008']);
    } finally {
      await farm.stop();
    }
    const after = (await listAdbDevices(adbPort)).map((d) => d.serial);
    for (const p of farm.phones) expect(after).not.toContain(p.serial);
  });

  it('rejects ports adb would probe by itself', () => {
    expect(() => new VirtualPhoneFarm({ count: 4, basePort: 5554 })).toThrow(/5555-5585/);
  });
});
