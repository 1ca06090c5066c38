import { describe, expect, it } from 'vitest';
import { InboundFilter } from '../inbound-filter';
import { InboundGate, type GateDecision } from './inbound-gate';
import { peekMessage } from './sip-message-peek';

const PBX = '10.0.0.1';
const STRANGER = '203.0.113.7';
const SDP = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

/** An INVITE for line 201; `edit` rewrites its header lines, `body`/`type` set the body. */
function invite(edit: (lines: string[]) => string[] = (l) => l, body = SDP, first = 'INVITE sip:201@10.0.0.9 SIP/2.0'): string {
  const lines = [
    first,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport',
    'Max-Forwards: 70',
    'From: "Caller" <sip:1001@10.0.0.1>;tag=a',
    'To: <sip:201@10.0.0.9>',
    'Call-ID: c1@10.0.0.1',
    'CSeq: 1 INVITE',
    'Contact: <sip:1001@10.0.0.1:5060>',
    'Content-Type: application/sdp',
  ];
  return [...edit(lines), `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
}

const replace = (from: string, to: string) => (lines: string[]) => lines.flatMap((l) => (l.startsWith(from) ? (to ? to.split('\r\n') : []) : [l]));
const add = (...extra: string[]) => (lines: string[]) => [...lines, ...extra];

describe('InboundGate', () => {
  const gate = new InboundGate({
    filter: new InboundFilter({ lineUsers: ['201'], trustedAddresses: [PBX] }),
    supportedExtensions: () => ['outbound'],
  });
  const admit = (text: string, address = PBX): GateDecision => gate.admit(text, peekMessage(text)!, { address, port: 5060 });
  const status = (d: GateDecision) => (d.kind === 'answer' ? d.status : d.kind);

  it('delivers a well-formed INVITE from the PBX, its top Via stamped with the source (RFC 3581)', () => {
    const text = invite();
    const stamped = text.replace('branch=z9hG4bK1;rport', 'branch=z9hG4bK1;received=10.0.0.1;rport=5060');
    expect(admit(text)).toEqual({ kind: 'deliver', text: stamped });
  });

  it('answers the RFC 4475 malformed and unsupported forms from the PBX with their codes', () => {
    const cases: Array<[string, string, number]> = [
      ['two Call-IDs', invite(add('Call-ID: other@10.0.0.1')), 400],
      ['two To headers, tagged first', invite(replace('To:', 'To: <sip:201@10.0.0.9>;tag=1\r\nTo: <sip:201@10.0.0.9>')), 400],
      ['t: and To:', invite(replace('To:', 't: <sip:201@10.0.0.9>;tag=1\r\nTo: <sip:201@10.0.0.9>')), 400],
      ['two From values in one header', invite(replace('From:', 'From: <sip:1001@10.0.0.1>;tag=a, <sip:1002@10.0.0.1>;tag=b')), 400],
      ['two Content-Lengths', invite(add(`l: ${Buffer.byteLength(SDP)}`)), 400],
      ['two CSeqs', invite(add('CSeq: 2 INVITE')), 400],
      ['CSeq method not the request method', invite(replace('CSeq:', 'CSeq: 1 BYE')), 400],
      ['CSeq number too large', invite(replace('CSeq:', 'CSeq: 36893488147419103232 INVITE')), 400],
      ['no Call-ID', invite(replace('Call-ID:', '')), 400],
      ['bare LF between headers', invite(replace('Max-Forwards:', 'Max-Forwards: 70\nX-Evil: 1')), 400],
      ['negative Content-Length', invite(add(), SDP).replace(/Content-Length: \d+/, 'Content-Length: -3'), 400],
      ['Require of an unsupported extension', invite(add('Require: nothingSupportsThis, outbound')), 420],
      ['Accept without SDP', invite(add('Accept: text/nonsense')), 406],
      ['empty Accept', invite(add('Accept: ')), 406],
      ['SIP/7.0', invite(undefined, SDP, 'INVITE sip:201@10.0.0.9 SIP/7.0'), 505],
      ['unknown URI scheme', invite(undefined, SDP, 'INVITE nobodyknowsthisscheme:totallyopaquecontent SIP/2.0'), 416],
      ['tel: URI', invite(undefined, SDP, 'INVITE tel:+15550100 SIP/2.0'), 416],
      ['unknown scheme in Request-URI and To (unksm2)', invite(replace('To:', 'To: soap.beep://192.0.2.103:3002'), SDP, 'INVITE soap.beep://192.0.2.103:3002 SIP/2.0'), 416],
      ['a Request-URI sip.js cannot parse', invite(undefined, SDP, 'INVITE sip:201@ SIP/2.0'), 400],
      ['unknown Content-Type', invite(replace('Content-Type:', 'Content-Type: application/unknownstuff'), '<?xml version="1.0"?><x/>'), 415],
      ['compressed SDP', invite(add('Content-Encoding: gzip')), 415],
    ];
    for (const [name, text, code] of cases) expect(status(admit(text)), name).toBe(code);
  });

  it('names what it refuses and carries Unsupported / Accept in the answer', () => {
    const d420 = admit(invite(add('Require: nothingSupportsThis')));
    expect(d420).toMatchObject({ kind: 'answer', why: 'Require: nothingSupportsThis' });
    expect(d420.kind === 'answer' && d420.text).toContain('\r\nUnsupported: nothingSupportsThis\r\n');
    const d415 = admit(invite(replace('Content-Type:', 'Content-Type: text/plain'), 'hello'));
    expect(d415.kind === 'answer' && d415.text).toMatch(/^SIP\/2\.0 415 Unsupported Media Type\r\n[^]*\r\nAccept: application\/sdp\r\n/);
    expect(admit(invite(add('Call-ID: x')))).toMatchObject({ why: '2 call-id headers' });
  });

  it('answers a stranger 403 whatever else is wrong (it learns nothing), and never answers an ACK', () => {
    expect(status(admit(invite(add('Call-ID: other')), STRANGER))).toBe(403);
    expect(status(admit(invite(undefined, SDP, 'INVITE sip:201@10.0.0.9 SIP/7.0'), STRANGER))).toBe(403);
    const ack = invite(replace('CSeq:', 'CSeq: 1 BYE'), '', 'ACK sip:201@10.0.0.9 SIP/2.0');
    expect(admit(ack)).toMatchObject({ kind: 'drop' });
    expect(admit(ack.replace('CSeq: 1 BYE', 'CSeq: 1 ACK'), STRANGER)).toMatchObject({ kind: 'drop' });
  });

  it("answers a stranger's OPTIONS 200 itself, the same for a line and any other user, after the checks", () => {
    const options = (user: string) => invite(replace('CSeq:', 'CSeq: 1 OPTIONS'), '', `OPTIONS sip:${user}@10.0.0.9 SIP/2.0`);
    const forLine = admit(options('201'), STRANGER);
    const forOther = admit(options('999'), STRANGER);
    expect(forLine).toMatchObject({ kind: 'answer', status: 200 });
    const strip = (d: GateDecision) => (d.kind === 'answer' ? d.text.replace(/;tag=\w+/g, '').replace(/sip:\d+@/g, '') : '');
    expect(strip(forOther)).toBe(strip(forLine));
    expect(forLine.kind === 'answer' && forLine.text).toMatch(/\r\nAllow: [A-Z, ]*OPTIONS/);
    expect(status(admit(options('201').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE'), STRANGER))).toBe(400);
    // From the PBX, sip.js answers it.
    expect(status(admit(options('201')))).toBe('deliver');
  });

  it('delivers valid requests sip.js must see: any token as method, Accept with SDP, supported Require', () => {
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    const intmeth = invite(replace('CSeq:', `CSeq: 1 ${method}`), '', `${method} sip:201@10.0.0.9 SIP/2.0`);
    expect(status(admit(intmeth))).toBe('deliver');
    expect(status(admit(invite(add('Accept: application/sdp;level=1, text/plain'))))).toBe('deliver');
    expect(status(admit(invite(add('Accept: */*'))))).toBe('deliver');
    expect(status(admit(invite(add('Require: outbound'))))).toBe('deliver');
  });

  it('answers 481 to a PRACK outside a dialog (sip.js would throw)', () => {
    const prack = invite(replace('CSeq:', 'CSeq: 1 PRACK'), '', 'PRACK sip:201@10.0.0.9 SIP/2.0');
    expect(admit(prack)).toMatchObject({ kind: 'answer', status: 481 });
  });

  it('gives an RFC 2543 INVITE without Contact the source as Contact', () => {
    const d = admit(invite(replace('Contact:', '')));
    expect(d.kind).toBe('deliver');
    expect(d.kind === 'deliver' && d.text.split('\r\n').slice(0, 2)).toEqual(['INVITE sip:201@10.0.0.9 SIP/2.0', 'Contact: <sip:10.0.0.1:5060>']);
  });
});
