/**
 * The receive path of a real line (a SipAccount registered on kamailio), driven with hand-written
 * datagrams from the PBX's address (127.0.0.1) and from another one (127.0.0.2):
 *
 * - every response goes to the source address and port of its request (RFC 3261 section 18.2.2,
 *   RFC 3581), whatever host the Via names, and no name from a Via is looked up in DNS;
 * - malformed and unsupported requests get the codes RFC 3261 and RFC 4475 section 3 ask for, an
 *   unsupported body before any ringing, and valid odd requests are not dropped;
 * - server transactions are matched by branch, sent-by, method and Call-ID (RFC 3261 section 17.2.3):
 *   a new request that reuses a branch is not swallowed as a retransmission.
 */
import dns from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invitation } from 'sip.js';
import { SipAccount } from '../../electron/station/sip/sip-account';
import { RegistrationState } from '../../electron/station/sip/registration';
import { RegistrationScheduler } from '../../electron/station/sip/registration-scheduler';
import { configureSipTimers, sipTimers } from '../../electron/station/sip/sip-timers';
import { Kamailio } from '../support/kamailio';
import { RawSipPeer, defaultHeaders, newBranch, newCallId, sdpOffer, sipRequest } from '../support/raw-sip-peer';
import { waitFor } from '../support/wait';

const LINE = '401';
let kamailio: Kamailio;
let account: SipAccount;
let pbxSide: RawSipPeer;
let stranger: RawSipPeer;
const invites: Invitation[] = [];
const lookedUp: string[] = [];
const realLookup = dns.lookup;

beforeAll(async () => {
  configureSipTimers();
  // Every DNS lookup the process makes from here on (dgram resolves a host name given to send()).
  (dns as { lookup: unknown }).lookup = (host: string, ...rest: unknown[]) => {
    lookedUp.push(host);
    return (realLookup as (...a: unknown[]) => void)(host, ...rest);
  };
  kamailio = await Kamailio.start({ users: { [LINE]: 'pw401' } });
  account = await SipAccount.create(
    { pbx: { host: '127.0.0.1', port: kamailio.port, transport: 'udp', keepaliveSeconds: 0 }, line: { user: LINE, password: 'pw401' } },
    { localAddress: '127.0.0.1', scheduler: new RegistrationScheduler({ gapMs: 0 }) },
  );
  account.ua.delegate = {
    onInvite: (inv) => {
      invites.push(inv);
      // A test that answers later itself marks its INVITE.
      if (!inv.request.hasHeader('X-Answer-Later')) void inv.reject({ statusCode: 486 });
    },
  };
  await account.start();
  await waitFor('registered', () => account.registration.status.state === RegistrationState.Registered, 5_000);
  pbxSide = await RawSipPeer.bind('127.0.0.1');
  stranger = await RawSipPeer.bind('127.0.0.2');
}, 30_000);
afterAll(async () => {
  (dns as { lookup: unknown }).lookup = realLookup;
  pbxSide?.close();
  stranger?.close();
  await account?.stop();
  await kamailio?.dispose();
});

const port = () => account.transport.localPort!;
const ruri = (user = LINE) => `sip:${user}@127.0.0.1:${port()}`;
const UNREACHABLE = 'unreachable.invalid:5999';

interface Sent {
  callId: string;
  text: string;
}

async function send(peer: RawSipPeer, parts: { method?: string; sentBy?: string; headers?: (h: string[]) => string[]; body?: string; contentType?: string; branch?: string; callId?: string; first?: string }): Promise<Sent> {
  const method = parts.method ?? 'INVITE';
  const callId = parts.callId ?? newCallId();
  const sentBy = parts.sentBy ?? `${peer.address}:${peer.port}`;
  const headers = (parts.headers ?? ((h) => h))(defaultHeaders({ method, ruri: ruri(), callId, sentBy }));
  let text = sipRequest({ method, ruri: ruri(), callId, sentBy, headers, body: parts.body, contentType: parts.contentType, branch: parts.branch });
  if (parts.first) text = text.replace(/^[^\r]*/, parts.first);
  await peer.send(text, port());
  return { callId, text };
}

/** Sends ACK for a non-2xx final response so the INVITE transaction ends quietly. */
async function ack(peer: RawSipPeer, sent: Sent, finalText: string): Promise<void> {
  const toTag = /^(?:To|t):.*;tag=([^;\s]+)/im.exec(finalText)?.[1] ?? '';
  const lines = sent.text.split('\r\n\r\n')[0]!.split('\r\n');
  const keep = lines.filter((l) => /^(Via|Max-Forwards|From|Call-ID):/.test(l));
  const to = lines.find((l) => l.startsWith('To:'))!;
  const text = [`ACK ${ruri()} SIP/2.0`, ...keep, `${to};tag=${toTag}`, 'CSeq: 1 ACK', 'Content-Length: 0', '', ''].join('\r\n');
  await peer.send(text, port());
}

describe('responses go to the source of the request', () => {
  it('sees the DNS lookups a UDP send makes (the hook the next tests rely on)', async () => {
    const probe = await RawSipPeer.bind('127.0.0.1');
    await probe.send('\r\n\r\n', port(), 'localhost');
    probe.close();
    expect(lookedUp).toContain('localhost');
  });

  it('answers an OPTIONS whose Via names an unreachable host, from 127.0.0.2, at its source socket, with no DNS lookup', async () => {
    const sent = await send(stranger, { method: 'OPTIONS', sentBy: UNREACHABLE });
    expect((await stranger.finalFor(sent.callId)).status).toBe(200);
    expect(lookedUp).not.toContain('unreachable.invalid');
  });

  it('sends the 403 for a stranger INVITE to its source, not to the Via host', async () => {
    const sent = await send(stranger, { sentBy: UNREACHABLE, body: sdpOffer('127.0.0.2') });
    expect((await stranger.finalFor(sent.callId)).status).toBe(403);
    expect(lookedUp).not.toContain('unreachable.invalid');
  });

  it('sends 100 Trying and the final answer of a PBX INVITE to its source (a PBX behind NAT), with no DNS lookup', async () => {
    const sent = await send(pbxSide, { sentBy: UNREACHABLE, body: sdpOffer('127.0.0.1') });
    const final = await pbxSide.finalFor(sent.callId);
    expect(final.status).toBe(486);
    expect(pbxSide.forCall(sent.callId).map((d) => d.status)).toContain(100);
    await ack(pbxSide, sent, final.text);
    // Errors found before sip.js (a 400) and stateless ones from sip.js (405) go there too.
    const bad = await send(pbxSide, { sentBy: UNREACHABLE, headers: (h) => [...h, 'Call-ID: second'] });
    expect((await pbxSide.finalFor(bad.callId)).status).toBe(400);
    const unknown = await send(pbxSide, { method: 'FOO', sentBy: UNREACHABLE });
    expect((await pbxSide.finalFor(unknown.callId)).status).toBe(405);
    expect(lookedUp).not.toContain('unreachable.invalid');
  });

  it('sends a final answer given after the request was forgotten (a long ring) to the source, from the Via stamp', async () => {
    configureSipTimers({ T1: 20, T4: 100 });
    try {
      const lifetime = 64 * sipTimers.T1 + sipTimers.T4;
      const sent = await send(pbxSide, { sentBy: UNREACHABLE, body: sdpOffer('127.0.0.1'), headers: (h) => [...h, 'X-Answer-Later: 1'] });
      await waitFor('100 Trying', () => pbxSide.forCall(sent.callId).some((d) => d.status === 100));
      const ringing = invites.find((i) => i.request.callId === sent.callId)!;
      const since = performance.now();
      await waitFor('the request outlived its remembered source', () => performance.now() - since > lifetime + 100, lifetime + 2_000);
      // Any request prunes what expired.
      const probe = await send(pbxSide, { method: 'OPTIONS' });
      await pbxSide.finalFor(probe.callId);
      await ringing.reject({ statusCode: 480 });
      const final = await pbxSide.finalFor(sent.callId);
      expect(final.status).toBe(480);
      expect(final.text).toMatch(/^Via: SIP\/2\.0\/UDP unreachable\.invalid:5999;branch=\S+;received=127\.0\.0\.1;rport=\d+\r$/m);
      await ack(pbxSide, sent, final.text);
    } finally {
      configureSipTimers();
    }
    expect(lookedUp).not.toContain('unreachable.invalid');
  });
});

describe('malformed and unsupported requests from the PBX', () => {
  const cases: Array<[string, Parameters<typeof send>[1], number]> = [
    ['two Call-ID headers', { headers: (h) => [...h, 'i: other-call'] }, 400],
    ['two To headers', { headers: (h) => [...h, `To: <${ruri()}>;tag=x`] }, 400],
    ['two From headers', { headers: (h) => [...h, 'From: <sip:evil@127.0.0.1>;tag=e'] }, 400],
    ['two Content-Length headers', { headers: (h) => [...h, 'l: 0'] }, 400],
    ['two CSeq headers', { headers: (h) => [...h, 'CSeq: 2 INVITE'] }, 400],
    ['a CSeq method that is not the request method', { headers: (h) => h.map((l) => (l.startsWith('CSeq') ? 'CSeq: 1 BYE' : l)) }, 400],
    ['Require of an unsupported extension', { headers: (h) => [...h, 'Require: nothingSupportsThis'] }, 420],
    ['Accept that excludes SDP', { headers: (h) => [...h, 'Accept: text/nonsense'] }, 406],
    ['SIP version 7.0', { first: `INVITE sip:${LINE}@127.0.0.1 SIP/7.0` }, 505],
    ['an unknown URI scheme', { first: 'INVITE nobodyknowsthisscheme:totallyopaquecontent SIP/2.0' }, 416],
  ];
  for (const [name, parts, code] of cases) {
    it(`answers ${code} to an INVITE with ${name}`, async () => {
      const sent = await send(pbxSide, { body: sdpOffer('127.0.0.1'), ...parts });
      const final = await pbxSide.finalFor(sent.callId);
      expect(final.status).toBe(code);
      if (code === 420) expect(final.text).toMatch(/\r\nUnsupported: nothingSupportsThis\r\n/);
      await ack(pbxSide, sent, final.text);
    });
  }

  it('answers 415 with Accept to an INVITE with an unsupported body, before any ringing', async () => {
    const before = invites.length;
    const sent = await send(pbxSide, { body: '<?xml version="1.0"?><nonsense/>', contentType: 'application/unknownstuff+xml' });
    const final = await pbxSide.finalFor(sent.callId);
    expect(final.status).toBe(415);
    expect(final.text).toMatch(/\r\nAccept: application\/sdp\r\n/);
    expect(pbxSide.forCall(sent.callId).map((d) => d.status)).toEqual([415]);
    expect(invites.length).toBe(before);
  });

  it('does not drop valid requests: a method of any token characters, Require: 100rel, an RFC 2543 INVITE without Contact or cookie', async () => {
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    const odd = await send(pbxSide, { method });
    const oddFinal = await pbxSide.finalFor(odd.callId);
    expect(oddFinal.status).toBe(405);
    expect(oddFinal.text).toMatch(/\r\nAllow: /);
    const before = invites.length;
    // sip.js answers an INVITE that requires reliable provisional responses (RFC 3262) with them.
    const rel = await send(pbxSide, { body: sdpOffer('127.0.0.1'), headers: (h) => [...h, 'Require: 100rel'] });
    const relFinal = await pbxSide.finalFor(rel.callId);
    expect(relFinal.status).toBe(486);
    await ack(pbxSide, rel, relFinal.text);
    const old = await send(pbxSide, { branch: '1', body: sdpOffer('127.0.0.1'), headers: (h) => h.filter((l) => !l.startsWith('Contact')) });
    const final = await pbxSide.finalFor(old.callId);
    expect(final.status).toBe(486);
    expect(invites.length).toBe(before + 2);
    await ack(pbxSide, old, final.text);
  });
});

describe('server transactions matched by branch, sent-by, method and Call-ID', () => {
  it('treats a request reusing an active branch with another Call-ID, sent-by or method as new', async () => {
    const branch = newBranch();
    const count = (callId: string, status: number) => pbxSide.forCall(callId).filter((d) => d.status === status).length;
    const before = invites.length;
    const first = await send(pbxSide, { branch, body: sdpOffer('127.0.0.1') });
    const firstFinal = await pbxSide.finalFor(first.callId);
    expect(firstFinal.status).toBe(486);
    // The INVITE transaction now waits for its ACK (up to 64*T1): these reuse its branch.
    const otherCall = await send(pbxSide, { branch, body: sdpOffer('127.0.0.1') });
    expect((await pbxSide.finalFor(otherCall.callId)).status).toBe(486);
    expect(invites.length).toBe(before + 2);
    // Same Call-ID, From tag and CSeq from another sent-by: the same request by another path, 482
    // (RFC 3261 section 8.2.2.2), not a repeat of the first INVITE's 486.
    const sameFrom = first.text.match(/^From: .*$/m)![0];
    await send(pbxSide, { branch, callId: first.callId, sentBy: '192.0.2.9:5060', body: sdpOffer('127.0.0.1'), headers: (h) => h.map((l) => (l.startsWith('From:') ? sameFrom : l)) });
    await waitFor('482 for the copy from another sent-by', () => count(first.callId, 482) === 1);
    // Another method on the branch: a BYE outside any dialog gets its own answer (481).
    await send(pbxSide, { method: 'BYE', branch, callId: first.callId });
    await waitFor('481 for the BYE', () => count(first.callId, 481) === 1);
    await ack(pbxSide, first, firstFinal.text);
    await ack(pbxSide, otherCall, pbxSide.forCall(otherCall.callId).find((d) => d.status === 486)!.text);
  });

  it('still absorbs a true retransmission and tells apart RFC 2543 requests without a branch', async () => {
    const first = await send(pbxSide, { body: sdpOffer('127.0.0.1') });
    const final = await pbxSide.finalFor(first.callId);
    const before = invites.length;
    await pbxSide.send(first.text, port());
    await waitFor('the final answer repeated', () => pbxSide.forCall(first.callId).filter((d) => d.status === 486).length >= 2);
    expect(invites.length).toBe(before);
    await ack(pbxSide, first, final.text);
    const a = await send(pbxSide, { branch: '', body: sdpOffer('127.0.0.1') });
    const b = await send(pbxSide, { branch: '', body: sdpOffer('127.0.0.1') });
    for (const s of [a, b]) await ack(pbxSide, s, (await pbxSide.finalFor(s.callId)).text);
    expect(invites.length).toBe(before + 2);
  });
});
