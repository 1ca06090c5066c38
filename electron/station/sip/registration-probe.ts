/**
 * "Test registration": one real REGISTER to a PBX from a throwaway user agent, on the configured
 * transport, and the answer in words (probe-outcome.ts). A success is followed at once by an
 * un-REGISTER (expires=0) of the probe's own Contact, so the test leaves no binding; the probe's
 * Contact carries its own local port, so it never touches a running line's binding (and unlike a
 * line's first registration it does not clear the extension's other bindings).
 *
 *   connect --failed--> refused | dns | tls-certificate | error
 *      \--> REGISTER --2xx--> un-REGISTER --> registered
 *                \--401/407 (after the digest answer) | 403 | 404 | other--> refused in words
 *                \--nothing within the time--> timeout
 *
 * Without an account (testing the PBX alone) any answer means the PBX is reachable.
 */
import { Registerer, type UserAgent } from 'sip.js';
import type { IncomingResponse } from 'sip.js/lib/core/index.js';
import { createLogger } from '../util/log';
import { grantedExpires } from './registration';
import { outcomeOfAnswer, outcomeOfError, outcomeOfSilence, type ProbeResult, type ProbeSubject } from './probe-outcome';
import { SipAccount } from './sip-account';
import { accountConfig, defaultPort, parseHostPort, type PbxSettings, type SipLineConfig } from './sip-config';
import type { DnsLike } from './transport/host-resolver';

export interface ProbeRequest {
  pbx: PbxSettings;
  /** The account to register; absent: only whether the PBX answers at all. */
  line?: SipLineConfig;
  /** How long to wait for the connection and the final answer (default 5 s). */
  timeoutMs?: number;
  localAddress?: string;
  dns?: DnsLike;
}

/** The user a test without an account registers as: any answer will do. */
const NOBODY = 'sip2wa-test';
/** Expires asked for by the probe: the shortest registrars commonly accept, in case the un-REGISTER is lost. */
const PROBE_EXPIRES = 60;
const UNREGISTER_WAIT_MS = 2_000;

const log = createLogger('sip-probe');

export async function probeRegistration(req: ProbeRequest): Promise<ProbeResult> {
  const timeoutMs = req.timeoutMs ?? 5_000;
  const registrar = parseHostPort(req.pbx.host);
  const subject: ProbeSubject = {
    host: registrar.host,
    port: req.pbx.port ?? registrar.port ?? defaultPort(req.pbx.transport),
    transport: req.pbx.transport,
    user: req.line?.user,
    authUser: req.line?.authUser,
  };
  let account: SipAccount | undefined;
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<'silence'>((resolve) => (timer = setTimeout(() => resolve('silence'), timeoutMs)));
  try {
    const config = accountConfig({ ...req.pbx, keepaliveSeconds: 0, registerExpires: PROBE_EXPIRES }, req.line ?? { user: NOBODY, password: '' });
    const attempt = (async () => {
      account = await SipAccount.create(config, { localAddress: req.localAddress, dns: req.dns, registration: { clearStaleBindings: false }, logTags: { probe: subject.user ?? NOBODY } });
      await account.ua.start();
      return register(account.ua);
    })();
    attempt.catch(() => undefined);
    const answer = await Promise.race([attempt, silence]);
    clearTimeout(timer);
    if (answer === 'silence') return outcomeOfSilence(subject, Math.round(timeoutMs / 100) / 10);
    const { response, registerer } = answer;
    const { statusCode = 0, reasonPhrase = '' } = response.message;
    const accepted = statusCode >= 200 && statusCode < 300;
    const expires = accepted ? grantedExpires(response, PROBE_EXPIRES, account!.ua.contact.uri.toString()) : undefined;
    const result = outcomeOfAnswer(subject, statusCode, reasonPhrase, expires);
    if (accepted && subject.user) {
      const removed = await unregister(registerer);
      result.words += removed ? '; the test binding was removed again' : `; removing the test binding got no answer, it expires in ${expires} s`;
    }
    await registerer.dispose().catch(() => undefined);
    return result;
  } catch (err) {
    return outcomeOfError(subject, err as Error);
  } finally {
    clearTimeout(timer);
    await account?.stop().catch((err: Error) => log.debug(`stopping the test user agent: ${err.message}`));
  }
}

/** One REGISTER (sip.js answers one digest challenge itself) and its final response. */
function register(ua: UserAgent): Promise<{ response: IncomingResponse; registerer: Registerer }> {
  const registerer = new Registerer(ua, { expires: PROBE_EXPIRES, logConfiguration: false });
  return new Promise((resolve, reject) => {
    registerer
      .register({
        requestDelegate: {
          onAccept: (response) => resolve({ response, registerer }),
          onReject: (response) => resolve({ response, registerer }),
        },
      })
      .catch(reject);
  });
}

/** Removes the probe's binding (expires=0 for its Contact only); true when the PBX confirmed it. */
function unregister(registerer: Registerer): Promise<boolean> {
  return new Promise((resolve) => {
    const guard = setTimeout(() => resolve(false), UNREGISTER_WAIT_MS);
    const done = (ok: boolean) => () => {
      clearTimeout(guard);
      resolve(ok);
    };
    registerer.unregister({ requestDelegate: { onAccept: done(true), onReject: done(false) } }).catch(done(false));
  });
}
