/**
 * Calls whose SIP end goes wrong, through kamailio to a line whose virtual phone calls the echo contact:
 * a caller whose ACK never comes (SIPp answers nothing after the 200 until the station's BYE), a PBX
 * that refuses the station's BYE with 481, and one that never answers it. The station's T1 is 50 ms, so 64*T1 is 3.2 s instead of
 * 32 s. Each call is recorded with its cause, billed only while the caller was heard, said in the
 * events, and the line takes the next call (a baresip desk phone's, whose echo is heard).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialOutcome, type Baresip } from '../support/baresip';
import { CallRig, ECHO, LINE_USER } from '../support/call-rig';
import { runSipp } from '../support/sipp';
import { waitFor } from '../support/wait';

const rig = new CallRig({ sipTimers: { T1: 50, T2: 400 }, config: { routing: { prefixes: [{ prefix: '00111' }] } } });
let desk: Baresip;

beforeAll(async () => {
  await rig.start();
  desk = await rig.deskPhone('PCMU', 'manual', 'Reception');
}, 60_000);
afterAll(() => rig.stop());

const line = () => rig.station.line('wa1')!;
const kamailio = () => `${rig.kamailio.address}:${rig.kamailio.port}`;
const recordOf = (callId: string) => rig.station.callLog!.query({}, { limit: 20 }).records.find((r) => r.callId === callId);
/** The line's call to WhatsApp in progress, once there is one. */
const liveCall = () => {
  const call = line().call;
  return call && call.direction === 'sip-to-whatsapp' && !call.ended ? call : undefined;
};
/** The call's record once it is finished (and, with `withCause`, once its end cause is written). */
const finished = (callId: string, withCause = false) => {
  const r = recordOf(callId);
  return r?.endedAt && (!withCause || r.endCause) ? r : undefined;
};
const eventsOn = (lineId: string) => rig.station.events.list().filter((e) => e.lineId === lineId);

/** The line carries a desk phone's call again, with the echo contact's audio flowing back. */
async function lineTakesTheNextCall(): Promise<void> {
  await waitFor('line idle', () => !line().busy, 10_000);
  const r = await dialOutcome(desk, rig.dialled(`00111${ECHO}`));
  expect(r.established, r.reason).toBe(true);
  const call = line().call!;
  await waitFor('echo flowing back to the desk', () => (call.view().stats?.packetsReceived ?? 0) > 50 && (call.view().stats?.packetsSent ?? 0) > 50, 10_000);
  const from = desk.events.length;
  desk.hangup();
  await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, from);
  await waitFor('call ended', () => call.ended);
  expect(call.view()).toMatchObject({ outcome: 'answered', hangupSide: 'sip', endCause: null });
}

describe('calls that end abnormally on the SIP side', () => {
  it('ends a call whose ACK never comes: recorded as no ACK, billed nothing, said in the events, line freed', { timeout: 60_000 }, async () => {
    const sipp = runSipp({ scenario: 'uac-no-ack.xml', remote: kamailio(), service: `00111${ECHO}`, timeoutMs: 20_000 });
    const { value: call } = await waitFor('the call on the line', liveCall, 15_000);
    await waitFor('connected', () => call.state === 'connected', 15_000);
    const run = await sipp;
    // SIPp got the station's BYE (and answered it): the PBX side is ended too.
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    await waitFor('call ended', () => call.ended, 5_000);
    expect(call.view()).toMatchObject({ endCause: 'no-ack', hangupSide: 'station', outcome: 'answered' });
    expect(call.view().endReason).toBe('no ACK from the PBX for 3.2 s: check Record-Route / NAT on the PBX');
    const record = await waitFor('the record', () => finished(call.id), 5_000);
    // SIPp sent no RTP: the caller was never heard, so nothing is billed although the call lasted 3.2 s.
    expect(record.value).toMatchObject({ endCause: 'no-ack', billableSeconds: 0, hangupSide: 'station' });
    expect(record.value.durationSeconds!).toBeGreaterThanOrEqual(3.2);
    expect(eventsOn('wa1').map((e) => e.message)).toContainEqual(expect.stringMatching(/ended abnormally: no ACK from the PBX for 3\.2 s: check Record-Route \/ NAT on the PBX$/));
    await lineTakesTheNextCall();
  });

  it('records a BYE the PBX refuses with 481 against the call that ended, and the line takes the next call', { timeout: 60_000 }, async () => {
    const sipp = runSipp({ scenario: 'uac-bye-refused.xml', remote: kamailio(), service: `00111${ECHO}`, timeoutMs: 20_000 });
    const { value: call } = await waitFor('the call on the line', liveCall, 15_000);
    await waitFor('connected', () => call.state === 'connected', 15_000);
    // The operator hangs up: the phone ends the WhatsApp call, the station sends BYE, the PBX refuses it.
    expect(call.hangUp()).toBe(true);
    const run = await sipp;
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    await waitFor('the cause', () => call.endCause, 5_000);
    expect(call.view()).toMatchObject({ state: 'ended', endCause: 'bye-refused', hangupSide: 'station' });
    expect(call.view().endReason).toBe("the PBX refused the station's BYE with 481 Call/Transaction Does Not Exist: check Record-Route / NAT on the PBX");
    const record = await waitFor('the record with its cause', () => finished(call.id, true), 5_000);
    expect(record.value).toMatchObject({ endCause: 'bye-refused', outcome: 'answered', hangupSide: 'station' });
    expect(eventsOn('wa1').map((e) => e.message)).toContainEqual(expect.stringMatching(/ended abnormally: the PBX refused the station's BYE with 481/));
    await lineTakesTheNextCall();
  });

  it('records a BYE the PBX never answers (64*T1) against the call that ended', { timeout: 60_000 }, async () => {
    // Straight to the line from the PBX's address: the BYE goes back to SIPp, which lets it time out.
    const stationPort = line().account!.transport.localPort!;
    const sipp = runSipp({ scenario: 'uac-bye-unanswered.xml', remote: `127.0.0.1:${stationPort}`, service: LINE_USER, keys: { caller_name: ECHO }, timeoutMs: 20_000 });
    const { value: call } = await waitFor('the call on the line', liveCall, 15_000);
    await waitFor('connected', () => call.state === 'connected', 15_000);
    expect(call.hangUp()).toBe(true);
    await waitFor('the cause', () => call.endCause, 10_000);
    expect(call.view()).toMatchObject({ state: 'ended', endCause: 'bye-refused', hangupSide: 'station' });
    expect(call.view().endReason).toBe("the PBX did not answer the station's BYE within 3.2 s: check Record-Route / NAT on the PBX");
    const run = await sipp;
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    const record = await waitFor('the record with its cause', () => finished(call.id, true), 5_000);
    expect(record.value).toMatchObject({ endCause: 'bye-refused', outcome: 'answered' });
    await lineTakesTheNextCall();
  });
});
