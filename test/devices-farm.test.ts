/**
 * A farm of 16 phones on one adb server, plugged in before the station starts: all become ready, and
 * all come back after the adb server is killed under them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../electron/station/station';
import { setLogLevel, type LogLevel } from '../electron/station/util/log';
import { VirtualPhoneFarm } from '../phone-agent/simulator/virtual-phone-farm';
import { adb, freePort, killAdbServer } from './support/adb';
import { waitFor } from './support/wait';

const COUNT = 16;
let adbPort: number;
let farm: VirtualPhoneFarm;
let station: Station;

const ready = (): number => station.lines().filter((l) => l.device?.state === 'ready').length;

beforeAll(async () => {
  setLogLevel((process.env.SIP2WA_LOG as LogLevel | undefined) ?? 'error');
  adbPort = await freePort();
  // The phones are plugged in before the station starts: it must find those already there.
  await adb(adbPort, 'start-server');
  farm = new VirtualPhoneFarm({ count: COUNT, basePort: 0, adbPort });
  await farm.start();
  station = new Station({ devices: { adb: { port: adbPort } } });
  await station.start();
});

afterAll(async () => {
  await station?.stop();
  await farm?.stop();
  await killAdbServer(adbPort);
});

describe(`a farm of ${COUNT} phones`, () => {
  it('makes every phone a ready line, each with its own WhatsApp account', async () => {
    await waitFor(`${COUNT} ready lines`, () => ready() === COUNT, 30_000);
    const accounts = new Set(station.lines().map((l) => l.agent?.account));
    expect(accounts.size).toBe(COUNT);
    expect([...accounts].sort()).toEqual(farm.phones.map((p) => p.device.account).sort());
  });

  it('recovers all of them within 10 s of adb kill-server, each line on its own phone again', async () => {
    const phoneOf = () => Object.fromEntries(station.lines().map((l) => [l.id, { serial: l.device?.serial, account: l.agent?.account }]));
    const before = phoneOf();
    await adb(adbPort, 'kill-server');
    await waitFor('lines lost', () => ready() < COUNT, 5_000);
    await waitFor(`${COUNT} ready lines again`, () => ready() === COUNT, 10_000);
    expect(phoneOf()).toEqual(before);
  });

  it('marks every line lost when the phones go', async () => {
    await farm.stop();
    await waitFor('all lost', () => station.lines().every((l) => l.device?.state === 'lost'), 5_000);
    expect(station.lines()).toHaveLength(COUNT);
  });
});
