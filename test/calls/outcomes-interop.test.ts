/**
 * Every outcome of a PBX user's call and the SIP code the PBX gets, as the origin's customers know them:
 * 200 answered, 486 rejected / offline / busy, 488 not on WhatsApp, 503 for each policy rule (with a
 * Warning naming it), and the ways the destination is found (dialled prefix, DTMF after the intro) and
 * the echo test. kamailio routes 00111... and 00123... to the line keeping the dialled number in To.
 *
 * kamailio is a proxy: it turns the station's 503 into 500 on the way to the caller (RFC 3261 16.7), so
 * the caller sees "500 Service Unavailable" and the code the station sent is read from the call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bestLag } from '../../native-audio/pcm';
import { dialOutcome, type Baresip } from '../support/baresip';
import { BUSY, CallRig, ECHO, NOT_ON_WHATSAPP, OFFLINE, REJECTS, SLOW, readPcm, untilCarried } from '../support/call-rig';
import { waitFor } from '../support/wait';

const rig = new CallRig({ config: { routing: { offlineTimeoutS: 5, prefixes: [{ prefix: '00111' }], testPrefix: '00123' } } });
let desk: Baresip;

beforeAll(async () => {
  await rig.start();
  desk = await rig.deskPhone('PCMU', 'manual', 'Reception');
}, 60_000);
afterAll(() => rig.stop());

const line = () => rig.station.line('wa1')!;
/** What a caller behind a proxy gets for the station's 503. */
const FILTERED = /^50[03] Service Unavailable/;
const lastCall = () => rig.station.counters!.recent.at(-1)!;

async function hangUpAndSettle(): Promise<void> {
  const from = desk.events.length;
  desk.hangup();
  // Both ends must be done before the next call, or its outcome would be read from this one's events.
  await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, from);
  await waitFor('line idle', () => !line().busy);
}

describe('outcomes of calls to WhatsApp', () => {
  it('answers a call to a prefix-dialled number with 200 and carries it', { timeout: 30_000 }, async () => {
    const r = await dialOutcome(desk, rig.dialled(`00111${ECHO}`));
    expect(r.established).toBe(true);
    expect(lastCall().view()).toMatchObject({ number: ECHO, destinationSource: 'prefix', state: 'connected' });
    await hangUpAndSettle();
    expect(lastCall().view()).toMatchObject({ outcome: 'answered', sipCode: 200, hangupSide: 'sip' });
  });

  it('ends an answered call at the maximum duration, on both sides, and records it', { timeout: 40_000 }, async () => {
    const policy = rig.station.config.policy;
    rig.station.policy!.updateConfig({ ...policy, maxDuration: { enabled: true, seconds: 10 } });
    try {
      const from = desk.events.length;
      const r = await dialOutcome(desk, rig.dialled(`00111${ECHO}`));
      expect(r.established).toBe(true);
      const answered = performance.now();
      await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 15_000, from);
      const heldMs = performance.now() - answered;
      expect(heldMs).toBeGreaterThan(9_000);
      expect(heldMs).toBeLessThan(12_000);
      await waitFor('line idle', () => !line().busy);
      expect(lastCall().view()).toMatchObject({ outcome: 'answered', sipCode: 200, hangupSide: 'station' });
      const record = rig.station.callLog!.query({}, { limit: 1 }).records[0]!;
      expect(record).toMatchObject({ hangupSide: 'station', outcome: 'answered' });
      expect(record.billableSeconds).toBeGreaterThanOrEqual(9);
      expect(record.billableSeconds).toBeLessThanOrEqual(11);
    } finally {
      rig.station.policy!.updateConfig(policy);
    }
  });

  it('gives 486 when the WhatsApp user rejects', { timeout: 30_000 }, async () => {
    const r = await dialOutcome(desk, rig.dialled(`00111${REJECTS}`));
    expect(r).toMatchObject({ established: false });
    expect(r.reason).toMatch(/^486/);
    expect(lastCall().view()).toMatchObject({ outcome: 'rejected', sipCode: 486 });
  });

  it('gives 486 when the WhatsApp user is busy', { timeout: 30_000 }, async () => {
    const r = await dialOutcome(desk, rig.dialled(`00111${BUSY}`));
    expect(r.reason).toMatch(/^486/);
    expect(lastCall().view()).toMatchObject({ outcome: 'busy', sipCode: 486 });
  });

  it('gives 486 after the offline timeout when the number never rings', { timeout: 30_000 }, async () => {
    const r = await dialOutcome(desk, rig.dialled(`00111${OFFLINE}`));
    expect(r.reason).toMatch(/^486/);
    expect(r.ms).toBeGreaterThanOrEqual(4_500);
    expect(lastCall().view()).toMatchObject({ outcome: 'offline', sipCode: 486 });
  });

  it('gives 488 for a number not on WhatsApp, and 488 at once the next time without dialling', { timeout: 30_000 }, async () => {
    const phone = rig.farm.phones[0]!.device.account;
    const dials = () => rig.farm.whatsapp.callsPlaced(phone, NOT_ON_WHATSAPP);
    const before = dials();
    const first = await dialOutcome(desk, rig.dialled(`00111${NOT_ON_WHATSAPP}`));
    expect(first.reason).toMatch(/^488/);
    expect(lastCall().view()).toMatchObject({ outcome: 'not-on-whatsapp', sipCode: 488, rule: null });
    expect(dials()).toBe(before + 1); // the phone dialled and the network said the number is not on WhatsApp
    const second = await dialOutcome(desk, rig.dialled(`00111${NOT_ON_WHATSAPP}`));
    expect(second.reason).toMatch(/^488/);
    expect(lastCall().view()).toMatchObject({ outcome: 'filtered', sipCode: 488, rule: 'not-on-whatsapp' });
    expect(dials()).toBe(before + 1); // refused from what the station learned: the phone was not told to dial
  });

  it('refuses the third call to a number found offline with 503', { timeout: 40_000 }, async () => {
    // The first offline call was in an earlier test; this is the second, then the third is refused.
    expect((await dialOutcome(desk, rig.dialled(`00111${OFFLINE}`))).reason).toMatch(/^486/);
    const third = await dialOutcome(desk, rig.dialled(`00111${OFFLINE}`));
    expect(third.reason).toMatch(FILTERED);
    expect(lastCall().view()).toMatchObject({ outcome: 'filtered', sipCode: 503, rule: 'offline-repeat' });
  });

  it('refuses a destination the patterns deny with 503', { timeout: 30_000 }, async () => {
    const policy = structuredClone(rig.station.config.policy);
    rig.station.policy!.updateConfig({ ...policy, destinationPatterns: { ...policy.destinationPatterns, enabled: true, deny: ['1555010900'] } });
    try {
      const r = await dialOutcome(desk, rig.dialled(`00111${ECHO}`));
      expect(r.reason).toMatch(FILTERED);
      expect(lastCall().view()).toMatchObject({ rule: 'destination-patterns', sipCode: 503 });
    } finally {
      rig.station.policy!.updateConfig(policy);
    }
  });

  it('refuses a new number over the per-hour unique limit with 503', { timeout: 30_000 }, async () => {
    const policy = structuredClone(rig.station.config.policy);
    const used = rig.station.policy!.counters('wa1').uniqueLastHour;
    rig.station.policy!.updateConfig({ ...policy, uniquePerHour: { enabled: true, max: used } });
    try {
      const r = await dialOutcome(desk, rig.dialled('00111447700900123'));
      expect(r.reason).toMatch(FILTERED);
      expect(lastCall().view()).toMatchObject({ rule: 'unique-per-hour', sipCode: 503 });
    } finally {
      rig.station.policy!.updateConfig(policy);
    }
  });

  for (const [rule, change] of [
    ['pause-between-calls', { pauseBetweenCalls: { enabled: true, seconds: 600 } }],
    ['unique-per-day', { uniquePerDay: { enabled: true, max: 1 } }],
    ['dedicated', { dedicated: { enabled: true } }],
  ] as const) {
    it(`refuses a call the ${rule} limit does not allow with 503`, { timeout: 30_000 }, async () => {
      const policy = structuredClone(rig.station.config.policy);
      rig.station.policy!.updateConfig({ ...policy, ...change });
      try {
        const r = await dialOutcome(desk, rig.dialled('00111447700900999'));
        expect(r.reason).toMatch(FILTERED);
        expect(lastCall().view()).toMatchObject({ rule, sipCode: 503, outcome: 'filtered' });
      } finally {
        rig.station.policy!.updateConfig(policy);
      }
    });
  }

  it('collects the number by DTMF after the intro when none was given', { timeout: 40_000 }, async () => {
    const r = await dialOutcome(desk, rig.lineUri);
    expect(r.established).toBe(true);
    await waitFor('answered for DTMF', () => lastCall().state === 'connected');
    // Typing during the prompt (half a second into it) cuts it short.
    await untilCarried(lastCall(), 0.5);
    await desk.sendDtmf(`${ECHO}#`);
    await waitFor('WhatsApp call connected', () => lastCall().number === ECHO && lastCall().bridged, 15_000);
    expect(lastCall().view()).toMatchObject({ destinationSource: 'dtmf', number: ECHO });
    await hangUpAndSettle();
  });

  it('answers the test prefix with the intro and echoes the caller', { timeout: 40_000 }, async () => {
    const r = await dialOutcome(desk, rig.dialled(`00123${ECHO}`));
    expect(r.established).toBe(true);
    expect(lastCall().view()).toMatchObject({ direction: 'echo-test', state: 'connected' });
    await untilCarried(lastCall(), 7);
    const closing = desk.events.length;
    desk.hangup();
    await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, closing);
    await waitFor('echo test over', () => lastCall().state === 'ended');
    const heard = readPcm(desk.recordings().heard.at(-1)!);
    const sent = readPcm(desk.recordings().sent.at(-1)!);
    // After the prompt (about 3.7 s) the caller hears themselves.
    const from = Math.round(heard.rate * 4.5);
    const { r: corr } = bestLag(sent.pcm.subarray(from - heard.rate / 2, from + heard.rate), heard.pcm.subarray(from - heard.rate / 2, from + heard.rate), Math.round(heard.rate * 0.5));
    expect(corr).toBeGreaterThan(0.8);
  });

  it('refuses a caller who hung up on ringing calls twice today with 503', { timeout: 40_000 }, async () => {
    for (let i = 0; i < 2; i++) {
      const from = desk.events.length;
      desk.dial(rig.dialled(`00111${SLOW}`));
      await desk.waitEvent((e) => e.type === 'CALL_RINGING' || e.type === 'CALL_PROGRESS', 10_000, from);
      await waitFor('WhatsApp ringing', () => lastCall().state === 'ringing');
      const closing = desk.events.length;
      desk.hangup();
      await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, closing);
      await waitFor('ended', () => lastCall().state === 'ended');
      expect(lastCall().view()).toMatchObject({ hangupSide: 'sip' });
    }
    const r = await dialOutcome(desk, rig.dialled(`00111${ECHO}`));
    expect(r.reason).toMatch(FILTERED);
    expect(lastCall().view()).toMatchObject({ rule: 'early-hangup', sipCode: 503 });
  });

  it('has a call record for every attempt, with its outcome, code and rule', () => {
    const { records } = rig.station.callLog!.query({}, { limit: 100 });
    const seen = new Set(records.map((r) => `${r.outcome}:${r.sipCode}:${r.policyRule ?? ''}`));
    const rules = ['offline-repeat', 'destination-patterns', 'unique-per-hour', 'pause-between-calls', 'unique-per-day', 'dedicated', 'early-hangup'];
    for (const expected of ['answered:200:', 'rejected:486:', 'busy:486:', 'offline:486:', 'not-on-whatsapp:488:', 'filtered:488:not-on-whatsapp', ...rules.map((r) => `filtered:503:${r}`)]) {
      expect(seen, expected).toContain(expected);
    }
    const prefixed = records.findLast((r) => r.destinationSource === 'prefix' && r.outcome === 'answered')!;
    expect(prefixed).toMatchObject({ lineId: 'wa1', caller: '1001', destination: ECHO, codec: 'PCMU', hangupSide: 'sip' });
    expect(prefixed.billableSeconds).toBeGreaterThanOrEqual(0);
    expect(prefixed.postDialDelayMs).toBeGreaterThan(0);
    expect(records.find((r) => r.destinationSource === 'dtmf')).toMatchObject({ destination: ECHO });
    expect(records.every((r) => r.endedAt !== null)).toBe(true);
  });
});
