import { describe, expect, it } from 'vitest';
import { StreamFramer } from './stream-framer';

const msg = (body: string): string =>
  `SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKx\r\nCSeq: 1 OPTIONS\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('StreamFramer', () => {
  it('splits two messages sent in one chunk and counts the body in bytes, not characters', () => {
    const f = new StreamFramer();
    const a = msg('héllo');
    const b = msg('');
    const items = f.push(Buffer.from(a + b));
    expect(items).toEqual([{ kind: 'message', text: a }, { kind: 'message', text: b }]);
  });

  it('waits for the rest of a message split across chunks', () => {
    const f = new StreamFramer();
    const a = Buffer.from(msg('v=0\r\n'));
    const out = [];
    for (let i = 0; i < a.length; i += 7) out.push(...f.push(a.subarray(i, i + 7)));
    expect(out).toEqual([{ kind: 'message', text: a.toString() }]);
  });

  it('reads a CRLF CRLF ping and a CRLF pong between messages', () => {
    const f = new StreamFramer();
    expect(f.push(Buffer.from('\r\n\r\n'))).toEqual([{ kind: 'ping' }]);
    expect(f.push(Buffer.from('\r\n' + msg('')))).toEqual([{ kind: 'pong' }, { kind: 'message', text: msg('') }]);
  });

  it('accepts the compact Content-Length form', () => {
    const f = new StreamFramer();
    const text = 'OPTIONS sip:a@b SIP/2.0\r\nl: 2\r\n\r\nok';
    expect(f.push(Buffer.from(text))).toEqual([{ kind: 'message', text }]);
  });

  it('refuses a stream message without Content-Length', () => {
    expect(() => new StreamFramer().push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n'))).toThrow(/without Content-Length/);
  });
});
