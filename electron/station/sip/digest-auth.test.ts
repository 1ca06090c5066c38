import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DigestCredentials, type DigestChallenge } from './digest-auth';
import { preferredChallenge, rawHeaderValues } from './digest-challenge';

/** Expected values are computed here, independently of digest-auth.ts, straight from RFC 7616 3.4. */
const H = (alg: string, s: string): string => createHash(alg).update(s).digest('hex');

/** Parses `Digest a="b", c=d` (test helper; values here contain no commas or escaped quotes). */
function params(header: string): Record<string, string> {
  expect(header.startsWith('Digest ')).toBe(true);
  const out: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/([a-z]+)=("([^"]*)"|[^,\s]+)/g)) out[m[1]!] = m[3] ?? m[2]!;
  return out;
}

const SIP = { method: 'REGISTER', ruri: 'sip:pbx.example.com' };
const fixedCnonce = (v: string) => () => v;

describe('DigestCredentials', () => {
  it('reproduces the RFC 7616 section 3.9.1 example for SHA-256 and MD5', () => {
    const request = { method: 'GET', ruri: '/dir/index.html' };
    const challenge = (algorithm: string): DigestChallenge => ({
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      qop: ['auth', 'auth-int'],
      algorithm,
    });
    const creds = () => new DigestCredentials({ username: 'Mufasa', password: 'Circle of Life', cnonce: fixedCnonce('f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ') });
    const sha = creds();
    expect(sha.authenticate(request, challenge('SHA-256'))).toBe(true);
    expect(params(sha.toString())).toMatchObject({
      response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
      algorithm: 'SHA-256',
      qop: 'auth',
      nc: '00000001',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    });
    const md5 = creds();
    expect(md5.authenticate(request, challenge('MD5'))).toBe(true);
    expect(params(md5.toString()).response).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  for (const [algorithm, hash] of [
    ['SHA-256', 'sha256'],
    ['SHA-512-256', 'sha512-256'],
    ['MD5', 'md5'],
  ] as const) {
    it(`answers a SIP ${algorithm} challenge with qop=auth; nc counts per nonce`, () => {
      const c = new DigestCredentials({ username: '201', password: 'pw201', cnonce: fixedCnonce('0a4f113b') });
      const challenge = { realm: 'pbx.example.com', nonce: 'abc123', qop: ['auth'], algorithm };
      const ha1 = H(hash, '201:pbx.example.com:pw201');
      const ha2 = H(hash, 'REGISTER:sip:pbx.example.com');
      for (const nc of ['00000001', '00000002']) {
        expect(c.authenticate(SIP, challenge)).toBe(true);
        const p = params(c.toString());
        expect(p).toMatchObject({ username: '201', realm: 'pbx.example.com', nonce: 'abc123', uri: 'sip:pbx.example.com', algorithm, qop: 'auth', nc, cnonce: '0a4f113b' });
        expect(p.response).toBe(H(hash, `${ha1}:abc123:${nc}:0a4f113b:auth:${ha2}`));
      }
      expect(c.authenticate(SIP, { ...challenge, nonce: 'fresh', stale: true })).toBe(true);
      expect(params(c.toString()).nc).toBe('00000001');
    });
  }

  it('answers without qop the RFC 2069 way (MD5 and SHA-256), with no cnonce or nc', () => {
    for (const [algorithm, hash] of [
      [undefined, 'md5'],
      ['SHA-256', 'sha256'],
    ] as const) {
      const c = new DigestCredentials({ username: '201', password: 'pw201' });
      expect(c.authenticate(SIP, { realm: 'r', nonce: 'n', algorithm })).toBe(true);
      const p = params(c.toString());
      expect(p.response).toBe(H(hash, `${H(hash, '201:r:pw201')}:n:${H(hash, 'REGISTER:sip:pbx.example.com')}`));
      expect(p.algorithm).toBe(algorithm ?? 'MD5');
      expect(p.cnonce).toBeUndefined();
      expect(p.nc).toBeUndefined();
    }
  });

  it('supports SHA-256-sess and qop=auth-int over the request body', () => {
    const c = new DigestCredentials({ username: '201', password: 'pw201', cnonce: fixedCnonce('cn') });
    const invite = { method: 'INVITE', ruri: 'sip:100@pbx', body: { body: 'v=0\r\n' } };
    expect(c.authenticate(invite, { realm: 'r', nonce: 'n', qop: ['auth-int'], algorithm: 'SHA-256-SESS' })).toBe(true);
    const p = params(c.toString());
    const ha1 = H('sha256', `${H('sha256', '201:r:pw201')}:n:cn`);
    const ha2 = H('sha256', `INVITE:sip:100@pbx:${H('sha256', 'v=0\r\n')}`);
    expect(p.response).toBe(H('sha256', `${ha1}:n:00000001:cn:auth-int:${ha2}`));
    expect(p.algorithm).toBe('SHA-256-sess');
    expect(p.qop).toBe('auth-int');
  });

  it('refuses what it cannot answer, saying why', () => {
    const reasons: string[] = [];
    const c = new DigestCredentials({ username: 'u', password: 'p', onRefuse: (r) => reasons.push(r) });
    expect(c.authenticate(SIP, { realm: 'r', nonce: 'n', algorithm: 'SHA-1' })).toBe(false);
    expect(c.authenticate(SIP, { nonce: 'n' })).toBe(false);
    expect(c.authenticate(SIP, { realm: 'r', nonce: 'n', qop: ['auth-conf'] })).toBe(false);
    expect(reasons).toEqual([expect.stringMatching(/SHA-1 is not supported/), expect.stringMatching(/no realm/), expect.stringMatching(/qop auth-conf/)]);
    expect(() => c.toString()).toThrow();
    const md5Only = new DigestCredentials({ username: 'u', ha1: H('md5', 'u:r:p') });
    expect(md5Only.authenticate(SIP, { realm: 'r', nonce: 'n', algorithm: 'SHA-256' })).toBe(false);
    expect(md5Only.authenticate(SIP, { realm: 'r', nonce: 'n' })).toBe(true);
  });
});

describe('challenge choice', () => {
  const sha256 = 'Digest realm="pbx", nonce="n1", qop="auth", algorithm=SHA-256';
  const md5 = 'Digest realm="pbx", nonce="n1", qop="auth", algorithm=MD5';
  const bare = 'Digest realm="pbx", nonce="n1"';

  it('reads every authenticate header of a raw response, folded lines included', () => {
    const raw = ['SIP/2.0 401 Unauthorized', `WWW-Authenticate: ${sha256}`, 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', `www-authenticate:${md5.slice(0, 20)}`, ` ${md5.slice(20)}`, 'Content-Length: 0', '', 'WWW-Authenticate: body'].join('\r\n');
    expect(rawHeaderValues(raw, 'WWW-Authenticate')).toEqual([sha256, `${md5.slice(0, 20)} ${md5.slice(20)}`]);
    expect(rawHeaderValues(raw, 'Proxy-Authenticate')).toEqual([]);
  });

  it('prefers SHA-256 over MD5 whatever the order, and the topmost among equals', () => {
    expect(preferredChallenge([sha256, md5], 'www-authenticate')).toBe(sha256);
    expect(preferredChallenge([md5, sha256], 'www-authenticate')).toBe(sha256);
    expect(preferredChallenge([bare, md5], 'www-authenticate')).toBe(bare);
    const sha512 = 'Digest realm="pbx", nonce="n1", algorithm=SHA-512-256';
    expect(preferredChallenge([md5, sha256, sha512], 'proxy-authenticate')).toBe(sha512);
    expect(preferredChallenge(['Digest realm="pbx", nonce="n", algorithm=SHA-1', md5], 'www-authenticate')).toBe(md5);
    expect(preferredChallenge(['Digest realm="pbx", nonce="n", algorithm=SHA-1'], 'www-authenticate')).toBeUndefined();
  });
});
