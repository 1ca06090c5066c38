/**
 * The device path end to end: the station core and virtual phones on a real adb server (private port),
 * read through the HTTP API as an operator's console would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../electron/station/server/http-server';
import type { LineView } from '../electron/station/api/types';
import { Station } from '../electron/station/station';
import { setLogLevel, type LogLevel } from '../electron/station/util/log';
import { VirtualPhone } from '../phone-agent/simulator/virtual-phone';
import { VirtualPhoneFarm } from '../phone-agent/simulator/virtual-phone-farm';
import { adb, freePort, killAdbServer } from './support/adb';
import { holdUpProcess, waitFor } from './support/wait';

let adbPort: number;
let farm: VirtualPhoneFarm;
let station: Station;
let api: ApiServer;

async function lines(): Promise<LineView[]> {
  const res = await fetch(`${api.url}/api/lines`);
  expect(res.status).toBe(200);
  return (await res.json()) as LineView[];
}

async function line(serial: string): Promise<LineView | undefined> {
  return (await lines()).find((l) => l.device?.serial === serial);
}

const readyCount = async (): Promise<number> => (await lines()).filter((l) => l.device?.state === 'ready').length;

beforeAll(async () => {
  setLogLevel((process.env.SIP2WA_LOG as LogLevel | undefined) ?? 'warn');
  adbPort = await freePort();
  // The station starts the adb server itself: none runs on this port yet.
  station = new Station({ devices: { adb: { port: adbPort }, pingIntervalMs: 250, pingTimeoutMs: 1_500 } });
  await station.start();
  api = await startApiServer(station);
  farm = new VirtualPhoneFarm({ count: 4, basePort: 0, adbPort });
  await farm.start();
});

afterAll(async () => {
  await api?.close();
  await station?.stop();
  await farm?.stop();
  await killAdbServer(adbPort);
});

describe('device path with the real adb server', () => {
  it('turns 4 virtual phones into 4 ready lines with their agent info', async () => {
    await waitFor('4 ready lines', async () => (await readyCount()) === 4, 20_000);
    const all = await lines();
    expect(all).toHaveLength(4);
    for (const phone of farm.phones) {
      const l = all.find((x) => x.device?.serial === phone.serial);
      expect(l, `line for ${phone.serial}`).toBeDefined();
      expect(l!.device?.props?.virtual).toBe(true);
      expect(l!.device?.props?.serialNo).toBe(phone.device.serialNo);
      expect(l!.agent?.account).toBe(phone.device.account);
      expect(l!.agent?.audioRoute).toBe('simulated');
      expect(l!.agent?.batteryLevel).toBe(phone.device.batteryLevel);
      expect(l!.registration.state).toBe('disabled');
      expect(l!.call).toBeNull();
    }
  });

  it("keeps every phone through a stall of the station's own process twice the ping timeout long", async () => {
    // A starved PC: the process that runs the station (and here the virtual phones too) is held up for 3 s.
    // The agents' pongs wait unread meanwhile; the station must not take that for hung phones.
    await waitFor('4 ready lines', async () => (await readyCount()) === 4, 20_000);
    const before = await lines();
    holdUpProcess(3_000);
    // Every agent has answered a ping sent after the stall, and no line has left `ready` since before it.
    await waitFor(
      'a ping answered after the stall on every line',
      async () => (await lines()).every((l) => l.device?.state !== 'ready' || (l.device.pingRttMs ?? Infinity) < 1_000),
      10_000,
    );
    const after = await lines();
    for (const l of before) {
      const now = after.find((x) => x.device?.serial === l.device?.serial)!;
      expect({ serial: now.device?.serial, state: now.device?.state, since: now.device?.since, lastError: now.device?.lastError }).toEqual({
        serial: l.device?.serial,
        state: 'ready',
        since: l.device?.since,
        lastError: l.device?.lastError,
      });
    }
  });

  it('shows an unplugged phone as lost within 2 s and ready again when replugged', async () => {
    const phone = farm.phones[0]!;
    await phone.unplug();
    const { elapsedMs } = await waitFor('lost', async () => (await line(phone.serial))?.device?.state === 'lost', 2_000);
    expect(elapsedMs).toBeLessThan(2_000);
    // The other lines are untouched.
    expect(await readyCount()).toBe(3);
    await phone.plug();
    await waitFor('ready again', async () => (await line(phone.serial))?.device?.state === 'ready', 10_000);
  });

  it('restarts a killed agent', async () => {
    const phone = farm.phones[1]!;
    await phone.crashAgent();
    expect(phone.agentRunning).toBe(false);
    await waitFor('agent restarted', () => phone.agentRunning, 10_000);
    await waitFor('ready again', async () => (await line(phone.serial))?.device?.state === 'ready', 10_000);
    const l = await line(phone.serial);
    expect(l!.device?.lastError?.message).toMatch(/closed|did not answer/);
    // The old tunnel was released: one forward per phone, no leak.
    const forwards = (await adb(adbPort, 'forward', '--list')).split('\n').filter((f) => f.startsWith(`${phone.serial} `));
    expect(forwards).toHaveLength(1);
  });

  it('catches a hung phone that adb still lists, and recovers when it answers again', async () => {
    const phone = farm.phones[3]!;
    phone.hang();
    // Pings go unanswered (1.5 s here), then the phone does not answer adb commands either.
    const { value } = await waitFor(
      'hung phone reported',
      async () => {
        const l = await line(phone.serial);
        return l?.device?.state === 'failed' && /did not answer/.test(l.device?.detail) ? l : undefined;
      },
      15_000,
    );
    expect(value.agent).toBeNull();
    expect(await readyCount()).toBe(3);
    phone.hang(false);
    await waitFor('ready again', async () => (await line(phone.serial))?.device?.state === 'ready', 20_000);
  });

  it('reports a garbled frame on the line, drops the link and reconnects', async () => {
    const phone = farm.phones[2]!;
    phone.garbleNextFrame('unknown-type');
    // The next frame the agent sends is the answer to the station's next ping.
    await waitFor('garbled frame reported', async () => /garbled frame/.test((await line(phone.serial))?.device?.lastError?.message ?? ''), 5_000);
    expect((await line(phone.serial))!.device?.lastError!.message).toMatch(/unknown/);
    await waitFor('ready again', async () => (await line(phone.serial))?.device?.state === 'ready', 10_000);
  });

  it('reports an agent of another protocol version and keeps serving the other lines', async () => {
    const odd = new VirtualPhone({ index: 90, port: 0, adbPort, whatsapp: farm.whatsapp, agentProtocolVersion: 4 });
    await odd.start();
    await odd.plug();
    const serial = odd.serial;
    try {
      const { value } = await waitFor(
        'version mismatch on the line',
        async () => {
          const l = await line(serial);
          return l?.device?.state === 'failed' && /agent version 4, station expects 3/.test(l.device?.detail) ? l : undefined;
        },
        15_000,
      );
      expect(value.device?.lastError?.message).toMatch(/agent version 4, station expects 3/);
      expect(value.agent).toBeNull();
      expect(await readyCount()).toBe(4);
    } finally {
      await odd.stop();
    }
    await waitFor('odd phone lost', async () => (await line(serial))?.device?.state === 'lost', 5_000);
  });

  it('brings every line back within 10 s after adb kill-server', async () => {
    await waitFor('4 ready lines', async () => (await readyCount()) === 4, 10_000);
    const agentsBefore = farm.phones.map((p) => p.agentRunning);
    await adb(adbPort, 'kill-server');
    await waitFor('lines lost', async () => (await readyCount()) < 4, 5_000);
    const { elapsedMs } = await waitFor('4 ready lines again', async () => (await readyCount()) === 4, 10_000);
    expect(elapsedMs).toBeLessThan(10_000);
    // The agents kept running on the phones: only the tunnels were made again.
    expect(farm.phones.map((p) => p.agentRunning)).toEqual(agentsBefore);
    const forwards = await adb(adbPort, 'forward', '--list');
    for (const phone of farm.phones) expect(forwards).toContain(`${phone.serial} tcp:`);
  });
});
