/**
 * UDP behaviour against real peers: a lost first REGISTER is recovered by our retransmission (timer E)
 * well before sip.js's 32 s timeout, and an INVITE from an address that is not the PBX, or for a user
 * that is not a line, is refused 403 (SIPp from 127.0.0.2 on the Linux loopback).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipAccount } from '../../electron/station/sip/sip-account';
import { RegistrationState } from '../../electron/station/sip/registration';
import { RegistrationScheduler } from '../../electron/station/sip/registration-scheduler';
import { configureSipTimers } from '../../electron/station/sip/sip-timers';
import type { UdpTransport } from '../../electron/station/sip/transport/udp-transport';
import { Kamailio } from '../support/kamailio';
import { LossyUdpProxy } from '../support/lossy-udp-proxy';
import { runSipp } from '../support/sipp';
import { waitFor } from '../support/wait';

let kamailio: Kamailio;
beforeAll(async () => {
  configureSipTimers();
  kamailio = await Kamailio.start({ users: { '301': 'pw301', '302': 'pw302' } });
});
afterAll(async () => {
  await kamailio?.dispose();
});

const noPacing = new RegistrationScheduler({ gapMs: 0 });

describe('UDP reliability and inbound filter', () => {
  it('recovers a lost first REGISTER by retransmission within about T1', async () => {
    const proxy = await LossyUdpProxy.start({ address: '127.0.0.1', port: kamailio.port }, (i) => i === 0);
    const a = await SipAccount.create(
      { pbx: { host: '127.0.0.1', port: proxy.port, transport: 'udp', registerExpires: 60, keepaliveSeconds: 0 }, line: { user: '301', password: 'pw301' } },
      { localAddress: '127.0.0.1', scheduler: noPacing },
    );
    try {
      const t0 = performance.now();
      await a.start();
      await waitFor('registered', () => a.registration.status.state === RegistrationState.Registered, 3_000, 5);
      const ms = performance.now() - t0;
      console.log(`registered ${Math.round(ms)} ms after start with the first REGISTER dropped`);
      expect(ms).toBeLessThan(1_500);
      expect(proxy.dropped).toEqual([`REGISTER sip:127.0.0.1:${proxy.port} SIP/2.0`]);
      expect((a.transport as UdpTransport).retransmitStats.retransmissions).toBeGreaterThanOrEqual(1);
      expect(a.registration.status.failures).toBe(0);
    } finally {
      await a.stop();
      proxy.close();
    }
  });

  it('answers 403 to an INVITE from a non-PBX address or for a user that is not a line', async () => {
    const a = await SipAccount.create(
      { pbx: { host: '127.0.0.1', port: kamailio.port, transport: 'udp', keepaliveSeconds: 0 }, line: { user: '302', password: 'pw302' } },
      { localAddress: '127.0.0.1', scheduler: noPacing },
    );
    const invites: string[] = [];
    a.ua.delegate = { onInvite: (inv) => invites.push(inv.request.callId) };
    try {
      await a.start();
      await waitFor('registered', () => a.registration.status.state === RegistrationState.Registered, 5_000);
      const remote = `127.0.0.1:${a.transport.localPort}`;
      const stranger = await runSipp({ scenario: 'uac-invite-refused.xml', remote, localIp: '127.0.0.2', service: '302' });
      expect(stranger.code, stranger.stdout.slice(-1500)).toBe(0);
      const unknownUser = await runSipp({ scenario: 'uac-invite-refused.xml', remote, localIp: '127.0.0.1', service: '0044123456' });
      expect(unknownUser.code, unknownUser.stdout.slice(-1500)).toBe(0);
      expect(invites).toEqual([]);
      expect(a.filter.refused).toBe(2);
    } finally {
      await a.stop();
    }
  });
});
