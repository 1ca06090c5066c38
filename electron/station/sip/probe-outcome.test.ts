import { describe, expect, it } from 'vitest';
import { outcomeOfAnswer, outcomeOfError, outcomeOfSilence, type ProbeSubject } from './probe-outcome';

const line: ProbeSubject = { host: 'pbx.example.com', port: 5060, transport: 'udp', user: '2001' };
const pbxOnly: ProbeSubject = { host: '192.0.2.10', port: 5061, transport: 'tls' };

describe('a registration test in words', () => {
  it('maps the PBX final answers of an account test', () => {
    expect(outcomeOfAnswer(line, 200, 'OK', 60)).toMatchObject({ ok: true, outcome: 'registered', code: 200, words: 'registered: the PBX at pbx.example.com:5060 over UDP accepted extension 2001 for 60 s (200 OK)' });
    expect(outcomeOfAnswer(line, 401, 'Unauthorized')).toMatchObject({ ok: false, outcome: 'wrong-password', words: 'wrong password: the PBX refused the credentials of extension 2001 after the digest answer (401 Unauthorized)' });
    expect(outcomeOfAnswer({ ...line, authUser: 'a2001' }, 407, 'Proxy Authentication Required').words).toBe(
      'wrong password: the PBX refused the credentials of extension 2001 (auth user a2001) after the digest answer (407 Proxy Authentication Required)',
    );
    expect(outcomeOfAnswer(line, 403, 'Forbidden')).toMatchObject({ ok: false, outcome: 'forbidden' });
    expect(outcomeOfAnswer(line, 403, 'Forbidden').words).toMatch(/^forbidden: the PBX refused extension 2001 \(403 Forbidden\)/);
    expect(outcomeOfAnswer(line, 404, 'Not Found')).toMatchObject({ outcome: 'unknown-user', words: 'unknown user: the PBX has no extension 2001 (404 Not Found)' });
    expect(outcomeOfAnswer(line, 408, 'Request Timeout').outcome).toBe('timeout');
    expect(outcomeOfAnswer(line, 503, 'Service Unavailable')).toMatchObject({ ok: false, outcome: 'rejected', words: 'the PBX at pbx.example.com:5060 over UDP refused the REGISTER of extension 2001: 503 Service Unavailable' });
  });

  it('counts any answer as reachable when no account was given', () => {
    expect(outcomeOfAnswer(pbxOnly, 401, 'Unauthorized')).toMatchObject({ ok: true, outcome: 'reachable', words: 'reachable: the PBX at 192.0.2.10:5061 over TLS answered (401 Unauthorized)' });
    expect(outcomeOfAnswer(pbxOnly, 403, 'Forbidden').ok).toBe(true);
  });

  it('says a silent PBX timed out, with the seconds waited', () => {
    expect(outcomeOfSilence(line, 5)).toMatchObject({ ok: false, outcome: 'timeout', words: 'timeout: no answer from pbx.example.com:5060 over UDP in 5 s (wrong host or port, a firewall, or nothing listening there)' });
    expect(outcomeOfSilence({ ...line, host: '::1' }, 2).target).toBe('[::1]:5060 over UDP');
  });

  it('names refused connections, DNS failures and certificate problems', () => {
    const tcp = { ...line, host: '127.0.0.1', transport: 'tcp' as const };
    expect(outcomeOfError(tcp, new Error('cannot connect to the PBX over TCP: 127.0.0.1:5999: connect ECONNREFUSED 127.0.0.1:5999'))).toMatchObject({
      ok: false,
      outcome: 'refused',
      words: 'connection refused: nothing accepts connections at 127.0.0.1:5060 over TCP (connect ECONNREFUSED 127.0.0.1:5999)',
    });
    expect(outcomeOfError(line, new Error('cannot resolve SIP server "pbx.example.com" for udp: getaddrinfo ENOTFOUND pbx.example.com'))).toMatchObject({
      outcome: 'dns',
      words: 'DNS: the host name "pbx.example.com" could not be looked up (getaddrinfo ENOTFOUND pbx.example.com)',
    });
    const tls = { ...line, transport: 'tls' as const, port: 5061 };
    expect(outcomeOfError(tls, new Error('cannot connect to the PBX over TLS: 127.0.0.1:5061: self-signed certificate')).words).toBe(
      "TLS certificate problem: the PBX's certificate at pbx.example.com:5061 over TLS is not trusted: self-signed certificate (signed by a CA the station was not given); check the CA file and the TLS server name",
    );
    expect(outcomeOfError(tls, new Error("x: Hostname/IP does not match certificate's altnames: Host: pbx.test. is not in the cert's altnames: DNS:other.test")).outcome).toBe('tls-certificate');
    expect(outcomeOfError(tls, new Error('cannot connect to the PBX over TLS: 127.0.0.1:5061: unable to verify the first certificate')).words).toContain('(its CA is not in the CA file or the system store)');
    expect(outcomeOfError(tcp, new Error('cannot connect to the PBX over TCP: 10.0.0.1:5060: no connection within 5000 ms')).outcome).toBe('timeout');
    expect(outcomeOfError(line, new Error("ENOENT: no such file or directory, open '/etc/ca.pem'"))).toMatchObject({ outcome: 'error', words: "the test could not reach pbx.example.com:5060 over UDP: ENOENT: no such file or directory, open '/etc/ca.pem'" });
  });
});
