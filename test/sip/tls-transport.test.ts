/**
 * TLS transport against a local node:tls SIP peer with a self-signed certificate made by openssl in
 * the test (kamailio's tls module is not packaged in Debian's kamailio 5.6 here). The peer answers
 * REGISTER with 200 and records the SNI name it was asked for.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipAccount } from '../../electron/station/sip/sip-account';
import { RegistrationState } from '../../electron/station/sip/registration';
import { RegistrationScheduler } from '../../electron/station/sip/registration-scheduler';
import { StreamFramer } from '../../electron/station/sip/transport/stream-framer';
import { peekMessage } from '../../electron/station/sip/transport/sip-message-peek';
import { waitFor } from '../support/wait';

let dir: string;
let cert: string;
let server: tls.Server;
let port: number;
const sniSeen: Array<string | false> = [];
let registers = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sip-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=pbx.test',
    '-addext', 'subjectAltName=DNS:pbx.test,IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  server = tls.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (socket) => {
    sniSeen.push((socket as tls.TLSSocket & { servername?: string | false }).servername ?? false);
    const framer = new StreamFramer();
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const item of framer.push(chunk)) {
        if (item.kind !== 'message') continue;
        const msg = peekMessage(item.text)!;
        if (msg.method !== 'REGISTER') continue;
        registers++;
        const contact = /^Contact:\s*(.*)$/im.exec(item.text)?.[1] ?? '';
        // `Contact: *` removes every binding: the 200 then lists none (RFC 3261 10.3).
        const bindings = contact.trim().startsWith('*') ? [] : [`Contact: ${contact.replace(/;expires=\d+/, '')};expires=60`];
        socket.write(
          [`SIP/2.0 200 OK`, ...msg.vias.map((v) => `Via: ${v};received=127.0.0.1`), `From: ${msg.from}`, `To: ${msg.to};tag=srv`,
            `Call-ID: ${msg.callId}`, `CSeq: ${msg.cseq}`, ...bindings, 'Content-Length: 0', '', ''].join('\r\n'),
        );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function tlsAccount(tlsOptions: { ca?: string; rejectUnauthorized?: boolean; servername?: string }): Promise<SipAccount> {
  return SipAccount.create(
    { pbx: { host: '127.0.0.1', port, transport: 'tls', tls: tlsOptions, keepaliveSeconds: 0 }, line: { user: '401', password: 'x' } },
    { localAddress: '127.0.0.1', scheduler: new RegistrationScheduler({ gapMs: 0 }), registration: { retryInitialMs: 5_000 } },
  );
}

describe('TLS transport', () => {
  it('registers over TLS when the PBX certificate is trusted through the configured CA, sending SNI', async () => {
    const a = await tlsAccount({ ca: cert, servername: 'pbx.test' });
    try {
      await a.start();
      await waitFor('registered', () => a.registration.status.state === RegistrationState.Registered, 5_000);
      expect(a.transport.protocol).toBe('TLS');
      expect(sniSeen.at(-1)).toBe('pbx.test');
      expect(a.ua.contact.uri.toString()).toContain(`:${a.transport.localPort};transport=tls`);
    } finally {
      await a.stop();
    }
  });

  it('refuses an untrusted certificate and says why', async () => {
    const before = registers;
    const a = await tlsAccount({});
    try {
      await a.start();
      const { value } = await waitFor('failed', () => (a.registration.status.state === RegistrationState.Failed ? a.registration.status : undefined), 5_000);
      expect(value.reason).toMatch(/self[- ]signed certificate|unable to verify/i);
      expect(registers).toBe(before);
    } finally {
      await a.stop();
    }
  });

  it('checks the name: a certificate for pbx.test does not pass as other.test', async () => {
    const a = await tlsAccount({ ca: cert, servername: 'other.test' });
    try {
      await a.start();
      const { value } = await waitFor('failed', () => (a.registration.status.state === RegistrationState.Failed ? a.registration.status : undefined), 5_000);
      expect(value.reason).toMatch(/other\.test/);
    } finally {
      await a.stop();
    }
  });
});
