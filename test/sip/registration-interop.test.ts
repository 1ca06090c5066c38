/**
 * A line registers on a real kamailio registrar (MD5 digest auth, usrloc in memory) over UDP and TCP,
 * gives up after three refusals of a wrong password, and registers again after kamailio restarts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SipAccount } from '../../electron/station/sip/sip-account';
import { RegistrationState } from '../../electron/station/sip/registration';
import { RegistrationScheduler } from '../../electron/station/sip/registration-scheduler';
import { configureSipTimers } from '../../electron/station/sip/sip-timers';
import type { SipTransportKind } from '../../electron/station/sip/sip-config';
import { Kamailio } from '../support/kamailio';
import { waitFor } from '../support/wait';

const USERS = { '201': 'pw201', '202': 'pw202', '203': 'pw203', '204': 'pw204', '205': 'pw205', '206': 'pw206' };
let kamailio: Kamailio;
const accounts: SipAccount[] = [];
const noPacing = new RegistrationScheduler({ gapMs: 0 });

async function account(user: string, password: string, transport: SipTransportKind, expires = 60): Promise<SipAccount> {
  const a = await SipAccount.create(
    { pbx: { host: '127.0.0.1', port: kamailio.port, transport, registerExpires: expires, keepaliveSeconds: 0 }, line: { user, password } },
    { localAddress: '127.0.0.1', scheduler: noPacing, registration: { retryInitialMs: 200, retryMaxMs: 1_000 } },
  );
  accounts.push(a);
  return a;
}

beforeAll(async () => {
  configureSipTimers();
  kamailio = await Kamailio.start({ users: USERS });
});
afterEach(async () => {
  await Promise.all(accounts.splice(0).map((a) => a.stop()));
});
afterAll(async () => {
  await kamailio?.dispose();
});

describe('registration with kamailio', () => {
  for (const transport of ['udp', 'tcp'] as const) {
    it(`registers over ${transport} and kamailio holds the contact with our port; stop removes it`, async () => {
      const a = await account('201', USERS['201'], transport);
      await a.start();
      await waitFor('registered', () => a.registration.status.state === RegistrationState.Registered, 5_000);
      const port = a.transport.localPort;
      const contacts = await kamailio.contacts('201');
      expect(contacts.some((c) => c.includes(`@127.0.0.1:${port}`) && c.includes(`transport=${transport}`))).toBe(true);
      // This kamailio challenges with MD5 only (no qop): our digest code answers MD5 as sip.js did.
      const { value: sent } = await waitFor('credentials logged', () => kamailio.credentialsSeen().find((c) => c.method === 'REGISTER'), 2_000);
      expect(sent.value).toMatch(/^Digest .*algorithm=MD5\b/);
      expect(sent.value).toMatch(/response="[0-9a-f]{32}"/);
      await a.stop();
      accounts.length = 0;
      expect(await kamailio.contacts('201')).toEqual([]);
    });
  }

  it('fails with 401 on a wrong password, stops after three refusals, and registers when the password is fixed', async () => {
    const a = await account('202', 'wrong', 'udp');
    const seen: string[] = [];
    a.registration.on('change', (s) => seen.push(`${s.state}${s.code ? ` ${s.code}` : ''}`));
    await a.start();
    const { value } = await waitFor('stopped', () => (a.registration.status.stopped ? a.registration.status : undefined), 10_000);
    expect(value.state).toBe(RegistrationState.Failed);
    expect(value.code).toBe(401);
    expect(value.reason).toMatch(/stopped: the PBX refused the credentials 3 times .*check the password/);
    expect(seen.filter((s) => s === 'failed 401')).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 800));
    expect(seen.filter((s) => s === 'failed 401')).toHaveLength(3); // no more attempts
    a.updateCredentials({ password: USERS['202'] });
    await waitFor('registered after the fix', () => a.registration.status.state === RegistrationState.Registered, 5_000);
  });

  for (const transport of ['udp', 'tcp'] as const) {
    it(`registers again after kamailio restarts (${transport})`, async () => {
      const a = await account('203', USERS['203'], transport, 2);
      await a.start();
      await waitFor('registered', () => a.registration.status.state === RegistrationState.Registered, 5_000);
      const before = (await kamailio.binding('203'))!;
      await kamailio.restart();
      // Back in the registrar's table from a REGISTER sent after the restart, however soon it came.
      const { elapsedMs } = await waitFor(
        'contact back in kamailio from a new REGISTER',
        async () => {
          const b = await kamailio.binding('203');
          return b !== null && (b.callId !== before.callId || b.cseq > before.cseq);
        },
        10_000,
        100,
      );
      expect(a.registration.status.state).toBe(RegistrationState.Registered);
      console.log(`re-registered over ${transport} ${Math.round(elapsedMs)} ms after the kamailio restart`);
    });
  }

  it('UDP lines whose registrar restarted register again within 5 s, long before their refresh', { timeout: 30_000 }, async () => {
    // Expiry 300 s: the refresh is 4 minutes away, so only the keepalive can bring the bindings back.
    const users = ['204', '205', '206'] as const;
    const spread = new RegistrationScheduler({ gapMs: 100 });
    const lines = await Promise.all(
      users.map(async (user) => {
        const a = await SipAccount.create(
          { pbx: { host: '127.0.0.1', port: kamailio.port, transport: 'udp', registerExpires: 300, keepaliveSeconds: 1 }, line: { user, password: USERS[user] } },
          { localAddress: '127.0.0.1', scheduler: spread, registration: { retryInitialMs: 200, retryMaxMs: 1_000 } },
        );
        accounts.push(a);
        return a;
      }),
    );
    for (const a of lines) await a.start();
    await waitFor('all registered', () => lines.every((a) => a.registration.status.state === RegistrationState.Registered), 5_000);
    const before = await Promise.all(users.map((u) => kamailio.binding(u)));
    await kamailio.restart();
    // The deadline is the requirement; what is checked is the registrar's own location table: every
    // line's binding is there again from a REGISTER sent after the restart (another Call-ID or a higher
    // CSeq than before it), however soon after the restart it came.
    const { elapsedMs } = await waitFor(
      'every contact back in kamailio from a new REGISTER',
      async () => (await Promise.all(users.map((u) => kamailio.binding(u)))).every((b, i) => b !== null && (b.callId !== before[i]!.callId || b.cseq > before[i]!.cseq)),
      5_000,
      100,
    );
    for (const [i, a] of lines.entries()) {
      expect((await kamailio.contacts(users[i]!)).some((c) => c.includes(`@127.0.0.1:${a.transport.localPort}`))).toBe(true);
      expect(a.registration.status.state).toBe(RegistrationState.Registered);
    }
    console.log(`${users.length} UDP lines re-registered ${Math.round(elapsedMs)} ms after the kamailio restart (expiry 300 s)`);
  });
});
