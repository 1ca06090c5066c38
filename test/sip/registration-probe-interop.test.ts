/**
 * "Test registration" against a real kamailio registrar (MD5 digest, per-user passwords): a wrong
 * password is named as such after the digest answer, the right one registers and leaves no binding
 * behind, a running line's binding is not disturbed, an unknown extension is forbidden (this
 * kamailio answers 403), a closed port times out (UDP) or is refused (TCP), and a TLS PBX whose
 * certificate the given CA did not sign is a certificate problem (a node:tls peer, as in
 * tls-transport.test.ts: Debian's kamailio has no TLS module here).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeRegistration } from '../../electron/station/sip/registration-probe';
import { RegistrationState } from '../../electron/station/sip/registration';
import { RegistrationScheduler } from '../../electron/station/sip/registration-scheduler';
import { SipAccount } from '../../electron/station/sip/sip-account';
import { configureSipTimers } from '../../electron/station/sip/sip-timers';
import type { SipTransportKind } from '../../electron/station/sip/sip-config';
import { Kamailio } from '../support/kamailio';
import { freeSipPort } from '../support/sip-port';
import { waitFor } from '../support/wait';

const USERS = { '2101': 'pw2101', '2102': 'pw2102' };
let kamailio: Kamailio;
const pbx = (transport: SipTransportKind = 'udp', port = kamailio.port) => ({ host: '127.0.0.1', port, transport });

beforeAll(async () => {
  configureSipTimers();
  kamailio = await Kamailio.start({ users: USERS });
});
afterAll(async () => {
  await kamailio?.dispose();
});

describe('test registration against kamailio', () => {
  it('names a wrong password, then registers with the right one and leaves no binding', async () => {
    const wrong = await probeRegistration({ pbx: pbx(), line: { user: '2101', password: 'wrong' } });
    expect(wrong).toMatchObject({ ok: false, outcome: 'wrong-password', code: 401 });
    expect(wrong.words).toBe('wrong password: the PBX refused the credentials of extension 2101 after the digest answer (401 Unauthorized)');
    // kamailio saw the digest answer (the retry after the challenge), not only the bare REGISTER.
    await waitFor('the digest answer in kamailio\'s log', () => kamailio.credentialsSeen().some((c) => c.method === 'REGISTER' && c.value.includes('username="2101"')), 2_000);

    const right = await probeRegistration({ pbx: pbx(), line: { user: '2101', password: USERS['2101'] } });
    expect(right).toMatchObject({ ok: true, outcome: 'registered', code: 200 });
    expect(right.words).toMatch(/^registered: the PBX at 127\.0\.0\.1:\d+ over UDP accepted extension 2101 for \d+ s \(200 OK\); the test binding was removed again$/);
    expect(await kamailio.contacts('2101')).toEqual([]);
  });

  it('registers over TCP, and an unknown extension is forbidden', async () => {
    expect(await probeRegistration({ pbx: pbx('tcp'), line: { user: '2101', password: USERS['2101'] } })).toMatchObject({ ok: true, outcome: 'registered' });
    expect(await kamailio.contacts('2101')).toEqual([]);
    const unknown = await probeRegistration({ pbx: pbx(), line: { user: '2999', password: 'x' } });
    expect(unknown).toMatchObject({ ok: false, outcome: 'forbidden', code: 403 });
    expect(unknown.words).toMatch(/^forbidden: the PBX refused extension 2999 \(403 Unknown user\)/);
  });

  it('leaves a running line of the same extension registered', async () => {
    const line = await SipAccount.create(
      { pbx: { ...pbx(), registerExpires: 120, keepaliveSeconds: 0 }, line: { user: '2102', password: USERS['2102'] } },
      { localAddress: '127.0.0.1', scheduler: new RegistrationScheduler({ gapMs: 0 }) },
    );
    try {
      await line.start();
      await waitFor('the line registered', () => line.registration.status.state === RegistrationState.Registered, 5_000);
      const before = await kamailio.contacts('2102');
      expect(before).toHaveLength(1);
      expect(await probeRegistration({ pbx: pbx(), line: { user: '2102', password: USERS['2102'] } })).toMatchObject({ outcome: 'registered' });
      expect(await kamailio.contacts('2102')).toEqual(before);
      expect(line.registration.status.state).toBe(RegistrationState.Registered);
    } finally {
      await line.stop();
    }
  });

  it('tests the PBX alone: kamailio answers, so it is reachable', async () => {
    const result = await probeRegistration({ pbx: pbx() });
    expect(result).toMatchObject({ ok: true, outcome: 'reachable' });
    expect(result.words).toMatch(/^reachable: the PBX at 127\.0\.0\.1:\d+ over UDP answered \(403 Unknown user\)$/);
  });

  it('times out on a closed UDP port and is refused on a closed TCP port', async () => {
    const closed = await freeSipPort();
    const udp = await probeRegistration({ pbx: pbx('udp', closed), line: { user: '2101', password: USERS['2101'] }, timeoutMs: 1_500 });
    expect(udp).toMatchObject({ ok: false, outcome: 'timeout', words: `timeout: no answer from 127.0.0.1:${closed} over UDP in 1.5 s (wrong host or port, a firewall, or nothing listening there)` });
    const tcp = await probeRegistration({ pbx: pbx('tcp', closed), line: { user: '2101', password: USERS['2101'] } });
    expect(tcp).toMatchObject({ ok: false, outcome: 'refused' });
    expect(tcp.words).toBe(`connection refused: nothing accepts connections at 127.0.0.1:${closed} over TCP (connect ECONNREFUSED 127.0.0.1:${closed})`);
  });
});

describe('test registration of a TLS PBX', () => {
  let dir: string;
  let server: tls.Server;
  let port: number;
  const cert = (name: string) => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name},IP:127.0.0.1`,
      '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`)], { stdio: 'ignore' });
    return join(dir, `${name}.pem`);
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sip-probe-tls-'));
    const pbxCert = cert('pbx.test');
    cert('other-ca.test');
    server = tls.createServer({ key: readFileSync(join(dir, 'pbx.test.key')), cert: readFileSync(pbxCert) }, (socket) => socket.on('error', () => undefined));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the certificate problem when the CA file is not the one that signed the PBX certificate', async () => {
    const result = await probeRegistration({
      pbx: { host: '127.0.0.1', port, transport: 'tls', tls: { caFile: join(dir, 'other-ca.test.pem'), servername: 'pbx.test' } },
      line: { user: '2101', password: 'pw2101' },
    });
    expect(result).toMatchObject({ ok: false, outcome: 'tls-certificate' });
    expect(result.words).toMatch(/^TLS certificate problem: the PBX's certificate at 127\.0\.0\.1:\d+ over TLS is not trusted: self[- ]signed certificate \(signed by a CA the station was not given\)/);
  });
});
