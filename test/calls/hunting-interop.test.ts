/**
 * Lines in a group: a call to a busy line is carried by an idle line of its group, least recently used
 * first; with every line busy the caller gets 486. The PBX challenges INVITEs (407) here, so the
 * WhatsApp -> SIP direction also shows the lines authenticating their calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialOutcome, type Baresip } from '../support/baresip';
import { CallRig, ECHO, TONE } from '../support/call-rig';
import { addLogSink, setLogLevel, type LogRecord } from '../../electron/station/util/log';
import { waitFor } from '../support/wait';

const rig = new CallRig({ phones: 2, line: { group: 'sales' }, challengeInvites: true });
const desks: Baresip[] = [];

/** What the calls log (at info, where each call's states are logged), to check the lines they name. */
const logs: LogRecord[] = [];
let removeSink: () => void = () => undefined;

beforeAll(async () => {
  await rig.start();
  setLogLevel('info');
  removeSink = addLogSink((r) => r.name === 'calls' && logs.push(r));
}, 60_000);
afterAll(async () => {
  removeSink();
  setLogLevel('warn');
  await rig.stop();
});

async function callWa1(): Promise<Baresip> {
  const desk = await rig.deskPhone('PCMU', 'manual', ECHO);
  desks.push(desk);
  return desk;
}

describe('hunting in a group of lines', () => {
  it('serves a call to a busy line from an idle line of its group, then answers 486 when all are busy', { timeout: 60_000 }, async () => {
    const first = await callWa1();
    expect((await dialOutcome(first, rig.lineUri)).established).toBe(true);
    const wa1 = rig.station.line('wa1')!;
    const wa2 = rig.station.line('wa2')!;
    expect(wa1.call?.phone?.lineId).toBe('wa1');

    const second = await callWa1();
    expect((await dialOutcome(second, rig.lineUri)).established).toBe(true);
    // The PBX called wa1 again; wa1's phone is busy, so wa2's phone carries the WhatsApp call.
    await waitFor('hunted call connected', () => wa2.call?.state === 'connected');
    expect(wa2.call!.view()).toMatchObject({ sipLineId: 'wa1', phoneLineId: 'wa2', number: ECHO });
    // Its record names both: the extension called (wa1) and the line whose phone and account carried it.
    const hunted = wa2.call!.id;
    const phone2 = rig.farm.phones[1]!;
    const record = () => rig.station.callLog!.query({ lineId: 'wa2' }).records.find((r) => r.callId === hunted);
    expect(record()).toMatchObject({ lineId: 'wa1', carrierLineId: 'wa2', deviceSerial: phone2.serial, whatsappAccount: phone2.device.account });
    expect(rig.station.callLog!.query({ lineId: 'wa1' }).records.map((r) => r.callId)).toContain(hunted);
    // The call's log lines name the carrying line (and the extension it was for).
    // Before a phone is picked the call is only the extension's; from then on it is the carrier's.
    const tagsOf = (state: string) => logs.find((r) => r.message.startsWith(`call ${hunted}`) && r.message.endsWith(`: ${state}`))?.tags;
    expect(tagsOf('connected')).toEqual({ line: 'wa2', called: 'wa1' });

    const third = await callWa1();
    const busy = await dialOutcome(third, rig.lineUri);
    expect(busy.reason).toMatch(/^486/);
    expect(rig.station.counters!.recent.at(-1)!.view()).toMatchObject({ outcome: 'filtered', sipCode: 486, rule: 'one-call-per-line' });

    for (const d of [first, second]) d.hangup();
    await waitFor('both lines idle', () => !wa1.busy && !wa2.busy);
    // What protects wa2's WhatsApp account counts the call it made: one number on wa2's phone.
    await waitFor('hunted record ended', () => rig.station.callLog!.query({ lineId: 'wa2' }).records.find((r) => r.callId === hunted)?.outcome === 'answered');
    expect(rig.station.policy!.counters('wa2')).toMatchObject({ uniqueLastHour: 1, uniqueToday: 1 });
    const perLine = rig.station.callLog!.stats({}, 'day').lines;
    expect(perLine.find((l) => l.lineId === 'wa2')).toMatchObject({ attempts: 1, answered: 1, uniqueNumbers: 1 });
  });

  it('rings the inbound extension through a PBX that challenges INVITEs (407)', { timeout: 30_000 }, async () => {
    const desk = await rig.deskPhone('G722', 'auto');
    rig.farm.whatsapp.callFromContact(TONE, rig.farm.phones[1]!.device.account);
    const established = await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
    expect(String(established.peeruri)).toContain(TONE);
    const wa2 = rig.station.line('wa2')!;
    await waitFor('connected', () => wa2.call?.state === 'connected');
    expect(rig.kamailio.credentialsSeen().some((c) => c.method === 'INVITE')).toBe(true);
    desk.hangup();
    await waitFor('ended', () => wa2.call?.state === 'ended');
  });
});
