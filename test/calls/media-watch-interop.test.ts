/**
 * The media watch on real calls: a baresip desk phone calls WhatsApp contacts through kamailio and a
 * line whose `media.rtpTimeoutS` is 3.
 *
 * - The desk phone freezes mid-call (SIGSTOP: its RTP stops, no BYE, as a phone whose network went):
 *   the call ends with an RTP timeout, billed to the last RTP, said in the events, the line freed.
 * - The same for a call from WhatsApp that the desk phone answered.
 * - A call on hold (baresip's re-INVITE with a=sendonly) whose desk phone then sends nothing is not
 *   ended, however many seconds of stats the watch sees.
 * - The desk phone mutes while the contact plays a tone: one-way audio is said on the line's events.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../electron/station/calls/call';
import { dialOutcome, type Baresip } from '../support/baresip';
import { CallRig, ECHO, TONE } from '../support/call-rig';
import { waitFor } from '../support/wait';

const RTP_TIMEOUT_S = 3;
const rig = new CallRig({
  config: {
    routing: { prefixes: [{ prefix: '00111' }] },
    media: { bindAddress: '127.0.0.1', rtpPortMin: 41000, rtpPortMax: 41999, rtpTimeoutS: RTP_TIMEOUT_S },
  },
});
let desk: Baresip;

beforeAll(async () => {
  await rig.start();
  desk = await rig.deskPhone('PCMU', 'manual', 'Reception');
}, 60_000);
afterAll(() => rig.stop());
// A test that failed mid-call leaves neither a frozen desk phone nor a busy line to the next one.
afterEach(async () => {
  desk.freeze(false);
  if (!line().busy) return;
  desk.hangup();
  await waitFor('line idle after the test', () => !line().busy, 15_000);
});

const line = () => rig.station.line('wa1')!;
const eventsOn = (lineId: string) => rig.station.events.list().filter((e) => e.lineId === lineId);

/** A call from the desk phone to `number`, connected and carrying RTP both ways. */
async function talking(number: string): Promise<Call> {
  await waitFor('line idle', () => !line().busy, 10_000);
  const r = await dialOutcome(desk, rig.dialled(`00111${number}`));
  expect(r.established, r.reason).toBe(true);
  const { value: call } = await waitFor('the call on the line', () => (line().call?.state === 'connected' ? line().call : undefined), 10_000);
  await waitFor('RTP both ways', () => (call.view().stats?.packetsReceived ?? 0) > 50 && (call.view().stats?.packetsSent ?? 0) > 50, 10_000);
  return call;
}

/** The desk phone freezes (its RTP stops, no BYE) until the station ends the call for it, then thaws. */
async function frozenUntilRtpTimeout(call: Call): Promise<void> {
  desk.freeze(true);
  try {
    await waitFor('the RTP timeout', () => call.ended, (RTP_TIMEOUT_S + 5) * 1000);
  } finally {
    desk.freeze(false);
  }
  expect(call.view()).toMatchObject({ endCause: 'rtp-timeout', outcome: 'answered', hangupSide: 'station' });
}

async function hangUp(call: Call): Promise<void> {
  const from = desk.events.length;
  desk.hangup();
  await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, from);
  await waitFor('call ended', () => call.ended, 5_000);
}

describe('the media watch on real calls', () => {
  it('ends a call whose RTP stopped, billed to the last RTP, and frees the line', { timeout: 60_000 }, async () => {
    const call = await talking(ECHO);
    await frozenUntilRtpTimeout(call);
    // The silence said is at least the timeout (more when the stats that saw it came late).
    const quietS = Number(/^no RTP from the PBX for (\d+) s: /.exec(call.view().endReason ?? '')?.[1]);
    expect(quietS, call.view().endReason ?? 'no end reason').toBeGreaterThanOrEqual(RTP_TIMEOUT_S);
    const { value: record } = await waitFor('the record', () => rig.station.callLog!.query({}, { limit: 5 }).records.find((r) => r.callId === call.id && r.endedAt), 5_000);
    const answeredAt = Date.parse(record.answeredAt!);
    const lastRtpAt = call.lastRtpAt!.getTime();
    // Billed from the answer to the last RTP heard, not to the end 3 s later.
    expect(record.billableSeconds).toBe(Math.ceil((lastRtpAt - answeredAt) / 1000));
    expect(Date.parse(record.endedAt!) - lastRtpAt).toBeGreaterThanOrEqual(RTP_TIMEOUT_S * 1000);
    expect(record).toMatchObject({ endCause: 'rtp-timeout' });
    expect(eventsOn('wa1').map((e) => e.message)).toContainEqual(expect.stringMatching(new RegExp(`ended abnormally: no RTP from the PBX for ${quietS} s`)));
    // The desk phone, back, gets the station's BYE; the line takes the next call.
    await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 40_000);
    await hangUp(await talking(ECHO));
  });

  it('ends a call from WhatsApp whose extension stopped sending RTP', { timeout: 60_000 }, async () => {
    await waitFor('line idle', () => !line().busy, 10_000);
    const from = desk.events.length;
    rig.farm.whatsapp.callFromContact(TONE, rig.farm.phones[0]!.device.account);
    await desk.waitEvent((e) => e.type === 'CALL_INCOMING', 15_000, from);
    desk.command('accept');
    await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, from);
    const { value: call } = await waitFor('the call on the line', () => (line().call?.direction === 'whatsapp-to-sip' && line().call?.state === 'connected' ? line().call : undefined), 10_000);
    await waitFor('RTP both ways', () => (call.view().stats?.packetsReceived ?? 0) > 50 && (call.view().stats?.packetsSent ?? 0) > 50, 10_000);
    await frozenUntilRtpTimeout(call);
    await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 40_000, from);
  });

  it('does not end a call on hold whose desk phone sends nothing', { timeout: 60_000 }, async () => {
    const call = await talking(ECHO);
    desk.command('hold');
    await waitFor('held', () => call.mediaDirection === 'recvonly', 10_000);
    // The held desk phone goes silent altogether; the watch sees twice the timeout of stats on hold.
    desk.freeze(true);
    let heldSamples = 0;
    const off = call.on('change', (v) => v.stats && call.mediaDirection === 'recvonly' && heldSamples++);
    try {
      await waitFor('twice the timeout of stats on hold', () => heldSamples >= 2 * RTP_TIMEOUT_S + 1, 30_000);
    } finally {
      off();
      desk.freeze(false);
    }
    expect(call.view()).toMatchObject({ state: 'connected', endCause: null });
    desk.command('resume');
    await waitFor('resumed', () => call.mediaDirection === 'sendrecv', 10_000);
    expect(call.state).toBe('connected');
    await hangUp(call);
    expect(call.view()).toMatchObject({ endCause: null, hangupSide: 'sip' });
  });

  it('says one-way audio on the line when the desk phone mutes while the contact speaks', { timeout: 60_000 }, async () => {
    const call = await talking(TONE);
    const before = eventsOn('wa1').length;
    desk.command('mute');
    const { value: event } = await waitFor('the one-way audio event', () => eventsOn('wa1').slice(0, eventsOn('wa1').length - before).find((e) => e.kind === 'audio'), 20_000);
    expect(event).toMatchObject({ level: 'warn', lineId: 'wa1' });
    expect(event.message).toMatch(/^call with 15550109002: one-way audio: nothing heard from the PBX side for 1\d s while the phone side speaks/);
    expect(call.state).toBe('connected');
    desk.command('mute');
    await hangUp(call);
  });
});
