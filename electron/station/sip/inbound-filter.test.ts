import { describe, expect, it } from 'vitest';
import { InboundFilter } from './inbound-filter';
import { parseLikeSipJs } from './transport/inbound-gate';

const request = (method: string, ruri: string, toTag = '', callId = 'c1'): string =>
  [
    `${method} ${ruri} SIP/2.0`,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1',
    'From: <sip:x@10.0.0.1>;tag=a',
    `To: <${ruri}>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: 1 ${method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

const parse = (text: string) => parseLikeSipJs(text).parsed;

describe('InboundFilter', () => {
  const dialogs = new Map([['dlg-1|ours|a', ['192.0.2.50']]]);
  const filter = new InboundFilter({
    lineUsers: ['201'],
    trustedAddresses: ['10.0.0.1'],
    dialogs: (callId, local, remote) => dialogs.get(`${callId}|${local}|${remote}`),
  });
  const check = (text: string, source: string) => filter.check(parse(text), source);

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

  it('lets OPTIONS from anyone through, but no MESSAGE, ACK or unparsable request from a stranger', () => {
    expect(check(request('OPTIONS', 'sip:201@10.0.0.9'), '203.0.113.7').allow).toBe(true);
    expect(check(request('MESSAGE', 'sip:201@10.0.0.9'), '203.0.113.7').allow).toBe(false);
    expect(check(request('ACK', 'sip:201@10.0.0.9'), '203.0.113.7').allow).toBe(false);
    expect(filter.check(undefined, '203.0.113.7').allow).toBe(false);
    expect(filter.check(undefined, '10.0.0.1').allow).toBe(true);
  });

  it('lets an in-dialog request from a stranger through only for a dialog of the line with that peer', () => {
    expect(check(request('BYE', 'sip:201@10.0.0.9', 'ours', 'dlg-1'), '192.0.2.50')).toEqual({ allow: true });
    expect(check(request('BYE', 'sip:201@10.0.0.9', 'ours', 'dlg-1'), '203.0.113.7')).toMatchObject({ allow: false, reason: expect.stringContaining('peers are elsewhere') });
    // A forged To tag with a Call-ID the line has no dialog for.
    expect(check(request('INVITE', 'sip:201@10.0.0.9', 'forged', 'unknown-call'), '203.0.113.7')).toMatchObject({ allow: false, reason: expect.stringContaining('names no dialog') });
    // From the PBX sip.js itself answers 481 to a dialog it does not have.
    expect(check(request('BYE', 'sip:201@10.0.0.9', 'forged', 'unknown-call'), '10.0.0.1').allow).toBe(true);
  });

  it('judges the To tag sip.js sees: quoted, duplicated, compact and folded forms', () => {
    const base = request('INVITE', 'sip:201@10.0.0.9');
    const forms = {
      quotedTag: base.replace('To: <sip:201@10.0.0.9>', 'To: <sip:201@10.0.0.9>;x="a>;tag=1"'),
      taggedFirst: base.replace('To: <sip:201@10.0.0.9>', 'To: <sip:201@10.0.0.9>;tag=1\r\nTo: <sip:201@10.0.0.9>'),
      compactTagged: base.replace('To: <sip:201@10.0.0.9>', 't: <sip:201@10.0.0.9>;tag=1\r\nTo: <sip:201@10.0.0.9>'),
      folded: base.replace('To: <sip:201@10.0.0.9>', 'To: <sip:201@10.0.0.9>\r\n ;x=1'),
    };
    for (const [name, text] of Object.entries(forms)) {
      expect(parse(text)?.toTag, name).toBeUndefined();
      expect(check(text, '203.0.113.7'), name).toMatchObject({ allow: false, reason: expect.stringContaining('is not the PBX') });
    }
  });

  it('trusts addresses added after resolution', () => {
    const f = new InboundFilter({ lineUsers: ['201'] });
    expect(f.check(parse(request('INVITE', 'sip:201@h')), '10.1.1.1').allow).toBe(false);
    f.trust('10.1.1.1');
    expect(f.check(parse(request('INVITE', 'sip:201@h')), '10.1.1.1').allow).toBe(true);
  });
});
