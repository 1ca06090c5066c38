import { describe, expect, it } from 'vitest';
import { InboundFilter } from './inbound-filter';
import { peekMessage } from './transport/sip-message-peek';

const request = (method: string, ruri: string, toTag = ''): string =>
  [
    `${method} ${ruri} SIP/2.0`,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1',
    'From: <sip:x@10.0.0.1>;tag=a',
    `To: <${ruri}>${toTag ? `;tag=${toTag}` : ''}`,
    'Call-ID: c1',
    `CSeq: 1 ${method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('InboundFilter', () => {
  const filter = new InboundFilter({ lineUsers: ['201'], trustedAddresses: ['10.0.0.1'] });
  const check = (text: string, source: string) => filter.check(peekMessage(text)!, source);

  it('lets an INVITE for a line from the PBX through', () => {
    expect(check(request('INVITE', 'sip:201@10.0.0.9:5062'), '10.0.0.1')).toEqual({ allow: true });
    expect(check(request('INVITE', 'sip:201@10.0.0.9'), '::ffff:10.0.0.1')).toEqual({ allow: true });
  });

  it('refuses an INVITE from another address, naming the source', () => {
    const v = check(request('INVITE', 'sip:201@10.0.0.9'), '203.0.113.7');
    expect(v).toMatchObject({ allow: false, reason: expect.stringContaining('source 203.0.113.7 is not the PBX') });
  });

  it('refuses an INVITE from the PBX to a user that is not a line', () => {
    const v = check(request('INVITE', 'sip:00441234@10.0.0.9'), '10.0.0.1');
    expect(v).toMatchObject({ allow: false, reason: expect.stringContaining('"00441234" is not a configured line') });
  });

  it('refuses other out-of-dialog requests (MESSAGE, SUBSCRIBE) from strangers but not OPTIONS or in-dialog ones', () => {
    expect(check(request('MESSAGE', 'sip:201@10.0.0.9'), '203.0.113.7').allow).toBe(false);
    expect(check(request('OPTIONS', 'sip:201@10.0.0.9'), '203.0.113.7').allow).toBe(true);
    expect(check(request('BYE', 'sip:201@10.0.0.9', 'xyz'), '203.0.113.7').allow).toBe(true);
    expect(filter.refused).toBeGreaterThanOrEqual(3);
  });

  it('trusts addresses added after resolution', () => {
    const f = new InboundFilter({ lineUsers: ['201'] });
    expect(f.check(peekMessage(request('INVITE', 'sip:201@h'))!, '10.1.1.1').allow).toBe(false);
    f.trust('10.1.1.1');
    expect(f.check(peekMessage(request('INVITE', 'sip:201@h'))!, '10.1.1.1').allow).toBe(true);
  });
});
