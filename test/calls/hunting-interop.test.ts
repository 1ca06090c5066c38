/**
 * Lines in a group: a call to a busy line is carried by an idle line of its group, least recently used
 * first; with every line busy the caller gets 486. The PBX challenges INVITEs (407) here, so the
 * WhatsApp -> SIP direction also shows the lines authenticating their calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialOutcome, type Baresip } from '../support/baresip';
import { CallRig, ECHO, TONE } from '../support/call-rig';
import { waitFor } from '../support/wait';

const rig = new CallRig({ phones: 2, line: { group: 'sales' }, challengeInvites: true });
const desks: Baresip[] = [];

beforeAll(() => rig.start(), 60_000);
afterAll(() => rig.stop());

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

    const third = await callWa1();
    const busy = await dialOutcome(third, rig.lineUri);
    expect(busy.reason).toMatch(/^486/);
    expect(rig.station.recentCalls.at(-1)!.view()).toMatchObject({ outcome: 'filtered', sipCode: 486, rule: 'one-call-per-line' });

    for (const d of [first, second]) d.hangup();
    await waitFor('both lines idle', () => !wa1.busy && !wa2.busy);
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
