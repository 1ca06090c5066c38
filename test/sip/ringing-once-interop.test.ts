/**
 * The caller hears 180 Ringing once per call, when the WhatsApp side rings: a raw SIP caller sends its
 * INVITE through kamailio to a line, the virtual phone's contact rings (and would ring for 30 s), the
 * caller cancels once the station says the call is ringing, and every response it got is counted.
 * (sip.js answered each INVITE with a 180 of its own before the station's, same To tag, no SDP.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRig, SLOW } from '../support/call-rig';
import { RawSipPeer, newBranch, newCallId, sdpOffer, sipRequest } from '../support/raw-sip-peer';
import { waitFor } from '../support/wait';

const rig = new CallRig({ config: { routing: { prefixes: [{ prefix: '00111' }] } } });
let caller: RawSipPeer;

beforeAll(async () => {
  await rig.start();
  caller = await RawSipPeer.bind('127.0.0.1');
}, 60_000);
afterAll(async () => {
  caller?.close();
  await rig.stop();
});

describe('180 Ringing', () => {
  it('reaches the caller once, when WhatsApp rings', { timeout: 30_000 }, async () => {
    const ruri = rig.dialled(`00111${SLOW}`);
    const sentBy = `${caller.address}:${caller.port}`;
    const callId = newCallId();
    const branch = newBranch();
    const headers = (method: string) => [
      'Max-Forwards: 70',
      `From: "Reception" <sip:1001@${sentBy}>;tag=ring-once`,
      `To: <${ruri}>`,
      `Call-ID: ${callId}`,
      `CSeq: 1 ${method}`,
      `Contact: <sip:1001@${sentBy}>`,
    ];
    await caller.send(sipRequest({ ruri, callId, sentBy, branch, headers: headers('INVITE'), body: sdpOffer(caller.address) }), rig.kamailio.port);
    const call = await waitFor('the station to take the call', () => rig.station.counters?.recent.find((c) => c.sipCallId === callId), 10_000);
    await waitFor('WhatsApp to ring', () => call.value.state === 'ringing', 15_000);
    await waitFor('the 180', () => caller.forCall(callId).some((d) => d.status === 180), 5_000);
    await caller.send(sipRequest({ method: 'CANCEL', ruri, callId, sentBy, branch, headers: headers('CANCEL') }), rig.kamailio.port);
    await waitFor('the 487', () => caller.forCall(callId).some((d) => d.status === 487), 5_000);
    const statuses = caller.forCall(callId).map((d) => d.status);
    expect(statuses.filter((s) => s === 180), statuses.join(' ')).toHaveLength(1);
    const ackHeaders = headers('ACK').map((l) => (l.startsWith('To:') ? (/^To:.*$/m.exec(caller.forCall(callId).find((d) => d.status === 487)!.text)?.[0] ?? l) : l));
    await caller.send(sipRequest({ method: 'ACK', ruri, callId, sentBy, branch, headers: ackHeaders }), rig.kamailio.port);
    await waitFor('the call to end', () => call.value.ended, 5_000);
    expect(call.value.view()).toMatchObject({ outcome: 'local-hangup', hangupSide: 'sip' });
  });
});
