/**
 * A call from an RFC 2543 PBX (no Via branch, no Contact) to a real station line: the station answers
 * it, its ACK reaches the call's dialog (which stops resending the 200), and the PBX's BYE ends it.
 * Its transaction keys follow RFC 3261 section 17.2.3's rules for requests without the magic cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRig, ECHO, LINE_USER } from '../support/call-rig';
import { RawSipPeer, defaultHeaders, newCallId, sdpOffer, sipRequest } from '../support/raw-sip-peer';
import { waitFor } from '../support/wait';

const rig = new CallRig();
let pbxSide: RawSipPeer;

beforeAll(async () => {
  await rig.start();
  pbxSide = await RawSipPeer.bind('127.0.0.1');
}, 60_000);
afterAll(async () => {
  pbxSide?.close();
  await rig.stop();
});

describe('a call from an RFC 2543 PBX', () => {
  it('is answered, takes its ACK (same Via, no branch) and ends on its BYE', { timeout: 30_000 }, async () => {
    const line = rig.station.line('wa1')!;
    const port = line.account!.transport.localPort!;
    const ruri = `sip:${LINE_USER}@127.0.0.1:${port}`;
    const callId = newCallId();
    const sentBy = `${pbxSide.address}:${pbxSide.port}`;
    const headers = defaultHeaders({ method: 'INVITE', ruri, callId, sentBy })
      .filter((l) => !l.startsWith('Contact:'))
      .map((l) => l.replace(/^From: "\d+"/, `From: "${ECHO}"`));
    const invite = sipRequest({ ruri, callId, sentBy, branch: '', headers, body: sdpOffer('127.0.0.1') });
    await pbxSide.send(invite, port);
    const ok = await pbxSide.finalFor(callId, 15_000);
    expect(ok.status).toBe(200);
    // The dialog's remote target is where the INVITE came from (it named none).
    const dialog = () => [...line.account!.ua.userAgentCore.dialogs.values()].find((d) => d.callId === callId);
    expect(String(dialog()!.remoteTarget)).toBe(`sip:${sentBy}`);

    const toTag = /^To: .*;tag=([^;\s]+)/m.exec(ok.text)![1];
    const keep = (text: string) => text.split('\r\n').filter((l) => /^(Via|Max-Forwards|From|Call-ID):/.test(l));
    const request = (method: string, cseq: string) =>
      [`${method} ${ruri} SIP/2.0`, ...keep(invite), `To: <sip:${LINE_USER}@127.0.0.1>;tag=${toTag}`, `CSeq: ${cseq}`, 'Content-Length: 0', '', ''].join('\r\n');
    await pbxSide.send(request('ACK', '1 ACK'), port);
    // sip.js's session dialog waits for the ACK of its 2xx (and resends the 2xx) until it arrives.
    await waitFor('the ACK delivered to the dialog', () => (dialog() as unknown as { ackWait: boolean }).ackWait === false, 5_000);
    await waitFor('the call connected', () => line.call?.state === 'connected', 10_000);

    await pbxSide.send(request('BYE', '2 BYE'), port);
    await waitFor('200 for the BYE', () => pbxSide.forCall(callId).some((d) => d.status === 200 && /^CSeq: 2 BYE/m.test(d.text)), 5_000);
    await waitFor('the call ended by the SIP side', () => line.call?.state === 'ended', 10_000);
    expect(line.call!.view()).toMatchObject({ hangupSide: 'sip' });
  });
});
