import { describe, expect, it } from 'vitest';
import { peekMessage } from './sip-message-peek';
import { peekedSourceKey, transactionKey, type TransactionFields } from './server-transaction-key';

const invite: TransactionFields = {
  method: 'INVITE',
  branch: 'z9hG4bKabc',
  sentBy: 'UDP 10.0.0.1:5060',
  callId: 'c1',
  cseqNumber: '1',
  requestUri: 'sip:201@10.0.0.9',
  fromTag: 'f1',
};

describe('server transaction keys (RFC 3261 section 17.2.3)', () => {
  it('puts the ACK and CANCEL of an INVITE in its transaction', () => {
    expect(transactionKey({ ...invite, method: 'ACK' })).toBe(transactionKey(invite));
    expect(transactionKey({ ...invite, method: 'CANCEL' })).toBe(transactionKey(invite));
  });

  it('tells apart a reused branch with another sent-by, method or Call-ID', () => {
    const key = transactionKey(invite);
    expect(transactionKey({ ...invite, sentBy: 'UDP 192.0.2.9:5060' })).not.toBe(key);
    expect(transactionKey({ ...invite, method: 'BYE' })).not.toBe(key);
    expect(transactionKey({ ...invite, callId: 'c2' })).not.toBe(key);
  });

  it('matches RFC 2543 requests (no magic cookie) by Request-URI, From tag, Call-ID, CSeq and Via', () => {
    const old = { ...invite, branch: undefined };
    expect(transactionKey({ ...old, method: 'ACK' })).toBe(transactionKey(old));
    expect(transactionKey({ ...old, callId: 'c2' })).not.toBe(transactionKey(old));
    expect(transactionKey({ ...old, fromTag: 'f2' })).not.toBe(transactionKey(old));
    expect(transactionKey({ ...old, requestUri: 'sip:202@10.0.0.9' })).not.toBe(transactionKey(old));
    expect(transactionKey({ ...invite, branch: '1' })).not.toBe(transactionKey({ ...invite, branch: '2', callId: 'c2' }));
  });

  it('gives a request and the response sip.js builds for it the same source key', () => {
    const via = 'Via: SIP/2.0/UDP Host.Example:5070;branch=z9hG4bKx;rport';
    const req = peekMessage(`BYE sip:201@h SIP/2.0\r\n${via}\r\nCall-ID: c9\r\nCSeq: 7 BYE\r\n\r\n`)!;
    const res = peekMessage(`SIP/2.0 200 OK\r\n${via.replace('rport', 'rport=5070;received=10.0.0.5')}\r\nCall-ID: c9\r\nCSeq: 7  BYE\r\n\r\n`)!;
    expect(peekedSourceKey(res)).toBe(peekedSourceKey(req));
    const cancel = peekMessage(`CANCEL sip:201@h SIP/2.0\r\n${via}\r\nCall-ID: c9\r\nCSeq: 7 CANCEL\r\n\r\n`)!;
    expect(peekedSourceKey(cancel)).not.toBe(peekedSourceKey(req));
  });
});
