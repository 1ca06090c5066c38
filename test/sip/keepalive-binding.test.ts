/**
 * A registrar that answers the UDP keepalive OPTIONS for the line with 404 although the line is
 * registered (some PBXs answer OPTIONS for an extension that way): the line registers again a few
 * times, backing off, then stops reading those answers as a lost binding and pings the PBX itself.
 * No REGISTER storm, whatever the PBX does. The registrar is a plain UDP socket speaking just enough
 * SIP: 200 to REGISTER, 404 to OPTIONS for a user, 200 to OPTIONS for itself.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistrationState } from '../../electron/station/sip/registration';
import { RegistrationScheduler } from '../../electron/station/sip/registration-scheduler';
import { SipAccount } from '../../electron/station/sip/sip-account';
import { configureSipTimers } from '../../electron/station/sip/sip-timers';
import { waitFor } from '../support/wait';

interface Seen {
  method: string;
  uri: string;
}

let registrar: dgram.Socket;
let port: number;
const seen: Seen[] = [];

/** The response to `request` with `status`, echoing the headers RFC 3261 8.2.6.2 says to copy. */
function answer(request: string, status: string, extra: string[] = []): string {
  const copy = request.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq|contact):/i.test(l));
  const tagged = copy.map((l) => (/^to:/i.test(l) && !/;tag=/.test(l) ? `${l};tag=reg` : l));
  return [`SIP/2.0 ${status}`, ...tagged, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}

beforeAll(async () => {
  configureSipTimers();
  registrar = dgram.createSocket('udp4');
  registrar.on('message', (buf, rinfo) => {
    const text = buf.toString();
    const m = /^([A-Z]+) (\S+) SIP\/2\.0/.exec(text);
    if (!m) return;
    seen.push({ method: m[1]!, uri: m[2]! });
    let reply: string;
    if (m[1] === 'REGISTER') reply = answer(text, '200 OK', ['Expires: 300']);
    else if (m[1] === 'OPTIONS') reply = /^sip:[^@]+@/.test(m[2]!) ? answer(text, '404 Not Found') : answer(text, '200 OK');
    else return;
    registrar.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => registrar.bind(0, '127.0.0.1', resolve));
  port = registrar.address().port;
});

afterAll(() => new Promise<void>((resolve) => registrar.close(() => resolve())));

describe('keepalive answers that are not about the binding', () => {
  it('re-registers at most three times, then pings the PBX itself', { timeout: 30_000 }, async () => {
    const account = await SipAccount.create(
      { pbx: { host: '127.0.0.1', port, transport: 'udp', registerExpires: 300, keepaliveSeconds: 1 }, line: { user: '2001', password: 'x' } },
      { localAddress: '127.0.0.1', scheduler: new RegistrationScheduler({ gapMs: 0 }), registration: { retryInitialMs: 200, retryMaxMs: 1_000, clearStaleBindings: false } },
    );
    try {
      await account.start();
      await waitFor('registered', () => account.registration.status.state === RegistrationState.Registered, 5_000);
      const registers = () => seen.filter((s) => s.method === 'REGISTER').length;
      // The keepalive goes to the line's own AOR, so the registrar's answer is about the line's binding.
      await waitFor('a keepalive for the line', () => seen.some((s) => s.method === 'OPTIONS' && s.uri.startsWith('sip:2001@')), 5_000);
      await waitFor('keepalives for the PBX itself', () => seen.some((s) => s.method === 'OPTIONS' && !s.uri.includes('@')), 15_000);
      const registersWhenSwitched = registers();
      // The first REGISTER, then one per 404 believed: three.
      expect(registersWhenSwitched).toBe(4);
      const optionsNow = seen.filter((s) => s.method === 'OPTIONS').length;
      await waitFor('three more keepalives', () => seen.filter((s) => s.method === 'OPTIONS').length >= optionsNow + 3, 10_000);
      expect(registers()).toBe(registersWhenSwitched);
      expect(account.registration.status.state).toBe(RegistrationState.Registered);
    } finally {
      await account.stop();
    }
  });
});
