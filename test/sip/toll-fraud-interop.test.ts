/**
 * Toll fraud as an attacker on the same network would try it: INVITEs to a real station line
 * (registered on kamailio, with a virtual phone whose simulated WhatsApp would place the call), sent
 * from 127.0.0.2 with the To header forms that once made the filter see an in-dialog request where
 * sip.js saw a new call, as raw datagrams and from SIPp. Each must get 403 and no WhatsApp call may
 * start. The same INVITE from the
 * PBX's address does start one: the check that nothing was dialled can see a dial.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRig, LINE_USER, SLOW } from '../support/call-rig';
import { RawSipPeer, defaultHeaders, newCallId, sdpOffer, sipRequest } from '../support/raw-sip-peer';
import { runSipp } from '../support/sipp';
import { waitFor } from '../support/wait';

const rig = new CallRig();
const dialled: string[] = [];
let stationPort = 0;
let attacker: RawSipPeer;
let pbxSide: RawSipPeer;

beforeAll(async () => {
  await rig.start();
  const whatsapp = rig.farm.whatsapp;
  const place = whatsapp.call.bind(whatsapp);
  whatsapp.call = (from, to) => {
    dialled.push(to);
    return place(from, to);
  };
  stationPort = rig.station.line('wa1')!.account!.transport.localPort!;
  attacker = await RawSipPeer.bind('127.0.0.2');
  pbxSide = await RawSipPeer.bind('127.0.0.1');
}, 60_000);
afterAll(async () => {
  attacker?.close();
  pbxSide?.close();
  await rig.stop();
});

const ruri = () => `sip:${LINE_USER}@127.0.0.1:${stationPort}`;

/** An INVITE for the line whose caller's display name is `number`, with the To line replaced. */
function invite(peer: RawSipPeer, toLines: string[], callId = newCallId(), number = SLOW): string {
  const sentBy = `${peer.address}:${peer.port}`;
  const headers = defaultHeaders({ method: 'INVITE', ruri: ruri(), callId, sentBy })
    .map((l) => l.replace(/^From: "\d+"/, `From: "${number}"`))
    .flatMap((l) => (l.startsWith('To:') ? toLines : [l]));
  return sipRequest({ ruri: ruri(), callId, sentBy, headers, body: sdpOffer(peer.address) });
}

/** Every request before this one has been handled once the PBX's OPTIONS is answered. */
async function barrier(): Promise<void> {
  const callId = newCallId();
  const sentBy = `${pbxSide.address}:${pbxSide.port}`;
  await pbxSide.send(sipRequest({ method: 'OPTIONS', ruri: ruri(), callId, sentBy }), stationPort);
  expect((await pbxSide.finalFor(callId)).status).toBe(200);
}

describe('toll-fraud filter against a real station line', () => {
  const to = (rest = '') => `To: <sip:${LINE_USER}@127.0.0.1>${rest}`;
  const forms: Record<string, string[]> = {
    'tag inside a quoted parameter': [to(';x="a>;tag=1"')],
    'two To headers, the tagged one first': [to(';tag=1'), to()],
    'compact t: with a tag and To: without': [`t: <sip:${LINE_USER}@127.0.0.1>;tag=1`, to()],
    'folded To with the tag on the continuation line': [to(), ' ;tag=1'],
    'To with a comma list, the tagged one first': [`${to(';tag=1')}, <sip:${LINE_USER}@127.0.0.1>`],
  };

  for (const [name, toLines] of Object.entries(forms)) {
    it(`answers 403 to an INVITE from 127.0.0.2 with a ${name}, and dials nothing`, async () => {
      const callId = newCallId();
      await attacker.send(invite(attacker, toLines, callId), stationPort);
      const answer = await attacker.finalFor(callId);
      expect(answer.status).toBe(403);
      expect(attacker.forCall(callId).map((d) => d.status)).toEqual([403]);
      await barrier();
      expect(dialled).toEqual([]);
      expect(rig.station.line('wa1')!.call).toBeNull();
    });
  }

  it('answers 403 to SIPp from 127.0.0.2 sending the same forms, and dials nothing', async () => {
    const line = `<sip:${LINE_USER}@127.0.0.1:${stationPort}>`;
    const pairs: Array<[string, string]> = [
      [`To: ${line};x="a>;tag=1"`, 'Subject: quoted tag'],
      [`To: ${line};tag=1`, `To: ${line}`],
      [`t: ${line};tag=1`, `To: ${line}`],
    ];
    for (const [first, second] of pairs) {
      const run = await runSipp({
        scenario: 'uac-invite-to-forms.xml',
        remote: `127.0.0.1:${stationPort}`,
        localIp: '127.0.0.2',
        service: LINE_USER,
        keys: { to_first: first, to_second: second, number: SLOW },
      });
      expect(run.code, `${first} / ${second}: ${run.stdout.slice(-1500)}`).toBe(0);
    }
    await barrier();
    expect(dialled).toEqual([]);
  });

  it('answers 403 to an in-dialog INVITE (forged To tag) whose Call-ID names no dialog of the line', async () => {
    const callId = newCallId();
    await attacker.send(invite(attacker, [to(';tag=forged-tag')], callId), stationPort);
    expect((await attacker.finalFor(callId)).status).toBe(403);
    await barrier();
    expect(dialled).toEqual([]);
  });

  it('still dials for the same INVITE from the PBX address (so the check above can see a dial)', async () => {
    const callId = newCallId();
    const text = invite(pbxSide, [to()], callId);
    await pbxSide.send(text, stationPort);
    await waitFor('the WhatsApp call placed', () => dialled.length === 1, 15_000);
    expect(dialled).toEqual([SLOW]);
    // Hang up before the slow contact answers: CANCEL (same branch, sent-by, Call-ID and CSeq number).
    const via = /^Via: .*$/m.exec(text)![0];
    const cancel = text
      .split('\r\n\r\n')[0]!
      .split('\r\n')
      .map((l, i) => (i === 0 ? l.replace(/^INVITE/, 'CANCEL') : l))
      .filter((l) => /^(CANCEL|Via|Max-Forwards|From|To|Call-ID)/.test(l) || l === via)
      .concat(['CSeq: 1 CANCEL', 'Content-Length: 0', '', ''])
      .join('\r\n');
    await pbxSide.send(cancel, stationPort);
    await waitFor('487 for the cancelled INVITE', () => pbxSide.forCall(callId).some((d) => d.status === 487), 10_000);
    const ack = cancel.replace(/^CANCEL/, 'ACK').replace('CSeq: 1 CANCEL', 'CSeq: 1 ACK');
    await pbxSide.send(ack.replace(/^(To: .*)$/m, `$1;tag=${/^To: .*;tag=([^;\s]+)/m.exec(pbxSide.forCall(callId).find((d) => d.status === 487)!.text)![1]}`), stationPort);
    await waitFor('the line idle again', () => rig.station.line('wa1')!.call?.state === 'ended' || rig.station.line('wa1')!.call === null, 10_000);
  });
});
