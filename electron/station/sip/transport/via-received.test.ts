import { describe, expect, it } from 'vitest';
import { parseLikeSipJs } from './inbound-gate';
import { peekMessage } from './sip-message-peek';
import { stampReceived } from './via-received';

const request = (via: string): string =>
  [`OPTIONS sip:201@10.0.0.9 SIP/2.0`, via, 'From: <sip:x@h>;tag=a', 'To: <sip:201@h>', 'Call-ID: c1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''].join('\r\n');
const source = { address: '203.0.113.7', port: 40123 };

describe('stampReceived (RFC 3261 section 18.2.1, RFC 3581)', () => {
  it('adds received and fills an empty rport, replacing what the sender wrote', () => {
    const text = stampReceived(request('Via: SIP/2.0/UDP unreachable.invalid:5999;branch=z9hG4bK1;received=192.0.2.1;rport=9'), source);
    expect(peekMessage(text)!.via).toMatchObject({ host: 'unreachable.invalid', port: 5999, branch: 'z9hG4bK1', received: '203.0.113.7', rport: 40123 });
    expect(parseLikeSipJs(text).parsed?.via).toMatchObject({ host: 'unreachable.invalid', branch: 'z9hG4bK1' });
  });

  it('adds received only when the client did not ask for rport, and stamps only the top Via value', () => {
    const text = stampReceived(request('v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK2, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK3'), source);
    const msg = peekMessage(text)!;
    expect(msg.via).toMatchObject({ host: '10.0.0.1', received: '203.0.113.7' });
    expect(msg.via?.rport).toBeUndefined();
    expect(msg.vias[1]).toBe('SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK3');
  });

  it('leaves a folded top Via or one with a quoted string as it is', () => {
    const folded = request('Via: SIP/2.0/UDP 10.0.0.1:5060\r\n ;branch=z9hG4bK4;rport');
    expect(stampReceived(folded, source)).toBe(folded);
    const quoted = request('Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK5;x="a;b"');
    expect(stampReceived(quoted, source)).toBe(quoted);
  });
});
