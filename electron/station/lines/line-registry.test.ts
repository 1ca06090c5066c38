/**
 * The line registry with real components: virtual phones on a private adb server, the real device
 * manager, media engine and policy engine, and a PBX address where nothing answers (the lines' SIP
 * accounts start and keep trying to register, which is all the registry needs of them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adb, freePort, killAdbServer } from '../../../test/support/adb';
import { waitFor } from '../../../test/support/wait';
import { VirtualPhoneFarm } from '../../../phone-agent/simulator/virtual-phone-farm';
import { Call } from '../calls/call';
import { validateConfig } from '../config/config-file';
import type { StationConfig } from '../config/schema';
import { DeviceManager } from '../devices/device-manager';
import { MediaEngine } from '../media/media-engine';
import { PromptLibrary } from '../media/prompt-player';
import { PolicyFixture } from '../policy/policy-fixture';
import { createLogger, setLogLevel, type LogLevel } from '../util/log';
import { LineRegistry } from './line-registry';

let adbPort: number;
let farm: VirtualPhoneFarm;
let devices: DeviceManager;
let media: MediaEngine;
let policy: PolicyFixture;
let registry: LineRegistry;
let config: StationConfig;
let pbxPort: number;
const farms: VirtualPhoneFarm[] = [];

/** Lines wa10 and wa2 (configured in that order) on phones 1 and 2; phone 3 has no account. */
function configFor(lines: Array<{ id: string; phone: number; password?: string }>): StationConfig {
  return validateConfig({
    version: 1,
    pbx: [{ id: 'pbx', host: '127.0.0.1', port: pbxPort, transport: 'udp' }],
    lines: lines.map((l) => ({ id: l.id, serial: farm.phones[l.phone - 1]!.serial, pbx: 'pbx', user: `20${l.phone}`, password: l.password ?? 'secret' })),
    media: { bindAddress: '127.0.0.1', rtpPortMin: 42000, rtpPortMax: 42099 },
  });
}

const ids = (): string[] => registry.views().map((v) => v.id);

/** A call on the line's phone that has not ended (the line is busy until it does). */
function callOn(lineId: string): Call {
  const line = registry.line(lineId)!;
  const call = new Call('test-dial', '15550109001', createLogger('test'), { sipLineId: lineId, callerId: 'operator' });
  line.assignCall(call);
  return call;
}

/** Saves `next` as the station does: `commit` puts it in force. */
async function save(next: StationConfig): Promise<{ rebuilt: string[]; committed: boolean }> {
  let committed = false;
  const rebuilt = await registry.rebuild(next, async () => {
    config = next;
    committed = true;
  });
  return { rebuilt, committed };
}

beforeAll(async () => {
  setLogLevel((process.env.SIP2WA_LOG as LogLevel | undefined) ?? 'error');
  adbPort = await freePort();
  pbxPort = await freePort();
  await adb(adbPort, 'start-server');
  farm = new VirtualPhoneFarm({ count: 3, basePort: 0, adbPort });
  farms.push(farm);
  await farm.start();
  devices = new DeviceManager({ adb: { port: adbPort } });
  await devices.start();
  media = await MediaEngine.start();
  policy = new PolicyFixture();
  config = configFor([
    { id: 'wa10', phone: 1 },
    { id: 'wa2', phone: 2 },
  ]);
  const prompts = new PromptLibrary(config.prompts);
  registry = new LineRegistry({ devices, media, policy: policy.engine, config: () => config, prompts: () => prompts });
  registry.start();
  await waitFor('the three phones listed', () => devices.devices.length === 3, 20_000);
});

afterAll(async () => {
  await registry?.stop();
  await devices?.stop();
  await media?.stop();
  for (const f of farms) await f.stop();
  policy?.close();
  await killAdbServer(adbPort);
});

describe('the line registry', () => {
  it('lists the lines with an account by id, numbers in order, then the phone no account claims', async () => {
    await waitFor('a line for every phone', () => registry.lines.length === 3, 10_000);
    expect(ids()).toEqual(['wa2', 'wa10', farm.phones[2]!.serial]);
    const spare = registry.views()[2]!;
    expect(spare.sip).toBeNull();
    expect(spare.registration).toMatchObject({ state: 'disabled', reason: 'no SIP account configured for this phone' });
  });

  it('gives a phone that appears its own line', async () => {
    const late = new VirtualPhoneFarm({ count: 1, basePort: 0, adbPort });
    farms.push(late);
    await late.start();
    const serial = late.phones[0]!.serial;
    await waitFor('the new phone on the grid', () => registry.line(serial), 20_000);
    expect(ids()).toEqual(['wa2', 'wa10', ...[farm.phones[2]!.serial, serial].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))]);
    expect(registry.line(serial)!.hasSip).toBe(false);
  });

  it('on a settings save keeps an unchanged line with its call and rebuilds a changed one', async () => {
    await waitFor('both SIP accounts started', () => registry.line('wa10')!.account && registry.line('wa2')!.account, 20_000);
    const wa10 = registry.line('wa10')!;
    const account = wa10.account;
    const wa2 = registry.line('wa2')!;
    const call = callOn('wa10');
    const { rebuilt, committed } = await save(
      configFor([
        { id: 'wa10', phone: 1 },
        { id: 'wa2', phone: 2, password: 'changed' },
      ]),
    );
    expect(committed).toBe(true);
    expect(rebuilt).toEqual(['wa2']);
    expect(registry.line('wa10')).toBe(wa10);
    expect(wa10.account).toBe(account);
    expect(wa10.call).toBe(call);
    expect(call.ended).toBe(false);
    expect(registry.views().find((v) => v.id === 'wa10')!.call?.id).toBe(call.id);
    const newWa2 = registry.line('wa2')!;
    expect(newWa2).not.toBe(wa2);
    expect(newWa2.config.password).toBe('changed');
    expect(wa2.account).toBeNull();
    call.finish('answered', null, 'station');
  });

  it("shows a line's call while it runs and its last ended call apart, kept while the next one runs", () => {
    const view = () => registry.views().find((v) => v.id === 'wa10')!;
    const first = callOn('wa10');
    expect(view().call?.id).toBe(first.id);
    first.finish('rejected', 486, 'whatsapp');
    expect(view().call).toBeNull();
    expect(view().lastCall).toMatchObject({ id: first.id, state: 'ended', outcome: 'rejected', sipCode: 486 });
    const second = callOn('wa10');
    expect(view().call?.id).toBe(second.id);
    expect(view().lastCall?.id).toBe(first.id);
    second.finish('answered', null, 'station');
    expect(view().lastCall?.id).toBe(second.id);
  });

  it('refuses a save, changing nothing, when a line it would rebuild carries a call', async () => {
    const before = config;
    const lines = [...registry.lines];
    const call = callOn('wa2');
    const next = configFor([
      { id: 'wa10', phone: 1, password: 'changed too' },
      { id: 'wa2', phone: 2, password: 'changed again' },
    ]);
    await expect(save(next)).rejects.toThrow('line wa2 is in a call and would be rebuilt: save again when the call has ended');
    expect(config).toBe(before);
    expect(registry.lines).toHaveLength(lines.length);
    expect(registry.lines.every((l, i) => l === lines[i])).toBe(true);
    expect(registry.line('wa2')!.call).toBe(call);
    expect(call.ended).toBe(false);
    call.finish('answered', null, 'station');
  });

  it('turns a phone’s own line into the account a save gives it', async () => {
    const serial = farm.phones[2]!.serial;
    const spare = registry.line(serial)!;
    const { rebuilt } = await save(
      configFor([
        { id: 'wa10', phone: 1 },
        { id: 'wa2', phone: 2, password: 'changed' },
        { id: 'wa3', phone: 3 },
      ]),
    );
    expect(rebuilt).toEqual([serial]);
    expect(registry.line(serial)).toBeUndefined();
    expect(registry.line('wa3')!.config.serial).toBe(serial);
    expect(registry.lines.filter((l) => l.config.serial === serial)).toHaveLength(1);
    expect(registry.line('wa3')!.hasSip).toBe(true);
    expect(spare.hasSip).toBe(false);
  });
});
