/**
 * SHA-256 digest (RFC 8760) against a real kamailio whose auth module challenges with SHA-256 and
 * qop=auth: every 401 also offers MD5 after the SHA-256 challenge, which kamailio would refuse, and
 * which stock sip.js would pick (it keeps only the last WWW-Authenticate). The line registers, and an
 * outgoing INVITE challenged with 407 is retried with SHA-256 Proxy-Authorization. What each request
 * carried comes from kamailio's log (the config logs Authorization / Proxy-Authorization).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inviter, SessionState, UserAgent } from 'sip.js';
import { SipAccount } from '../../electron/station/sip/sip-account';
import { RegistrationState } from '../../electron/station/sip/registration';
import { RegistrationScheduler } from '../../electron/station/sip/registration-scheduler';
import { configureSipTimers } from '../../electron/station/sip/sip-timers';
import { fixedSdpTestDoubleFactory } from '../support/fixed-sdp-handler';
import { Kamailio } from '../support/kamailio';
import { waitFor } from '../support/wait';

const USERS = { '211': 'pw211', '212': 'pw212' };
let kamailio: Kamailio;
const accounts: SipAccount[] = [];

async function account(user: keyof typeof USERS, transport: 'udp' | 'tcp'): Promise<SipAccount> {
  const a = await SipAccount.create(
    { pbx: { host: '127.0.0.1', port: kamailio.port, transport, registerExpires: 60, keepaliveSeconds: 0 }, line: { user, password: USERS[user] } },
    { localAddress: '127.0.0.1', scheduler: new RegistrationScheduler({ gapMs: 0 }), sessionDescriptionHandlerFactory: fixedSdpTestDoubleFactory },
  );
  accounts.push(a);
  return a;
}

/** `key=value` / `key="value"` parameters of a Digest credentials value. */
function digestParams(value: string): Record<string, string> {
  return Object.fromEntries([...value.matchAll(/([a-z]+)=(?:"([^"]*)"|([^,\s]+))/g)].map((m) => [m[1]!, m[2] ?? m[3]!]));
}

beforeAll(async () => {
  configureSipTimers();
  kamailio = await Kamailio.start({ users: USERS, digestAlgorithm: 'SHA-256', qop: true, alsoOfferMd5: true, challengeInvites: true });
});
afterAll(async () => {
  await Promise.all(accounts.map((a) => a.stop()));
  await kamailio?.dispose();
});

describe('SHA-256 digest with kamailio', () => {
  for (const transport of ['udp', 'tcp'] as const) {
    it(`registers over ${transport} answering the SHA-256 challenge, not the MD5 one offered after it`, async () => {
      const user = transport === 'udp' ? '211' : '212';
      const a = await account(user, transport);
      await a.start();
      await waitFor('registered', () => a.registration.status.state === RegistrationState.Registered, 5_000);
      expect(await kamailio.contacts(user)).toHaveLength(1);
      const { value: sent } = await waitFor('REGISTER credentials logged', () => {
        const seen = kamailio.credentialsSeen().filter((c) => c.method === 'REGISTER' && digestParams(c.value).username === user);
        return seen.length ? seen : undefined;
      }, 2_000);
      // Two REGISTERs are answered: the one clearing leftover bindings, then the registration itself.
      expect(sent.length).toBeGreaterThanOrEqual(1);
      for (const c of sent) expect(digestParams(c.value)).toMatchObject({ algorithm: 'SHA-256', qop: 'auth', realm: '127.0.0.1' });
      expect(digestParams(sent[0]!.value)).toMatchObject({ nc: '00000001' });
      expect(digestParams(sent[0]!.value).response).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('retries a 407-challenged INVITE with SHA-256 Proxy-Authorization (From is not the auth user)', async () => {
    const a = await account('211', 'udp');
    await a.start();
    const target = UserAgent.makeURI(`sip:999@127.0.0.1:${kamailio.port}`)!;
    const from = UserAgent.makeURI(`sip:+491700000001@127.0.0.1:${kamailio.port}`)!;
    const inviter = new Inviter(a.ua, target, { params: { fromUri: from } });
    const finals: number[] = [];
    await inviter.invite({ requestDelegate: { onReject: (r) => void finals.push(r.message.statusCode!) } });
    await waitFor('INVITE rejected', () => inviter.state === SessionState.Terminated, 5_000);
    // 404: kamailio accepted the credentials and found nobody registered as 999 (a refusal would be 407).
    expect(finals).toEqual([404]);
    // kamailio's workers log through a pipe: the line can trail the response a little.
    const { value: invites } = await waitFor('INVITE credentials logged', () => {
      const seen = kamailio.credentialsSeen().filter((c) => c.method === 'INVITE');
      return seen.length ? seen : undefined;
    }, 2_000);
    expect(invites).toHaveLength(1);
    expect(digestParams(invites[0]!.value)).toMatchObject({ username: '211', algorithm: 'SHA-256', qop: 'auth', uri: target.toString() });
  });
});
