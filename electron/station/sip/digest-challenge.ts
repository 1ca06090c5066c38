/**
 * Wires {@link DigestCredentials} into sip.js 0.21 and makes it see every challenge of a 401/407.
 *
 * 1. Credentials: sip.js builds the object that answers a challenge through its user agent core's
 *    `configuration.authenticationFactory` (one object per request that gets challenged). That is a
 *    per-UserAgent seam, so {@link useDigestCredentials} replaces the factory on one UserAgent; nothing
 *    global changes for that part.
 * 2. Choice of challenge: a server that offers several algorithms sends one WWW-Authenticate (or
 *    Proxy-Authenticate) header per algorithm, most preferred first (RFC 8760 section 2.3). sip.js's
 *    parser stores those headers with `setHeader`, so only the LAST one survives and its
 *    `authenticationGuard` answers that one: typically MD5 when the server prefers SHA-256. sip.js has no
 *    seam for this, so {@link installDigestChallengeChoice} wraps `UserAgentClient.prototype
 *    .authenticationGuard` once (every UAC subclass inherits it: REGISTER, INVITE, re-INVITE, BYE,
 *    SUBSCRIBE...). On a 401/407 carrying more than one challenge, the wrapper reads all of them from the
 *    raw message, puts back the one we prefer (strongest supported algorithm; equal strength: the
 *    topmost, as RFC 8760 section 2.4 asks when no local policy says otherwise) and lets sip.js carry on.
 *    The wrapper checks the method exists and marks the prototype, so installing twice is harmless.
 */
import { Core, Grammar, type UserAgent } from 'sip.js';
import { createLogger, type LogTags } from '../util/log';
import { DigestCredentials, algorithmStrength, challengeAlgorithm, type DigestChallenge } from './digest-auth';

const log = createLogger('sip-digest');

/**
 * Every value of the header `name` (case-insensitive, no compact form exists for the authenticate
 * headers) in a raw SIP message, in message order, with folded lines joined.
 */
export function rawHeaderValues(message: string, name: string): string[] {
  const end = message.search(/\r?\n\r?\n/);
  const head = (end === -1 ? message : message.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const line of head.split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) values.push(line.slice(colon + 1).trim());
  }
  return values;
}

/** Header name for `Grammar.parse` rules (sip.js names them with underscores). */
const RULE: Record<string, string> = { 'www-authenticate': 'WWW_Authenticate', 'proxy-authenticate': 'Proxy_Authenticate' };

/**
 * The raw challenge we answer among `values` (headers of one response): the strongest algorithm we
 * support, the topmost among equals; undefined when none is a Digest challenge we can answer.
 */
export function preferredChallenge(values: string[], header: 'www-authenticate' | 'proxy-authenticate'): string | undefined {
  let best: { value: string; strength: number } | undefined;
  for (const value of values) {
    const parsed = Grammar.parse(value, RULE[header]!) as DigestChallenge | -1;
    if (parsed === -1 || !parsed.nonce) continue;
    const strength = algorithmStrength(challengeAlgorithm(parsed));
    if (strength > 0 && (!best || strength > best.strength)) best = { value, strength };
  }
  return best?.value;
}

/** The part of sip.js's IncomingResponseMessage the wrapper uses. */
interface ChallengeResponse {
  statusCode?: number;
  data?: string;
  setHeader(name: string, value: string): void;
}

type Guard = (this: unknown, message: ChallengeResponse, ...rest: unknown[]) => boolean;
const PATCHED = Symbol.for('sip2wa.digest.challengeChoice');

/** Makes sip.js answer the challenge we prefer. Idempotent; false if sip.js no longer has the method. */
export function installDigestChallengeChoice(): boolean {
  const proto = Core.UserAgentClient.prototype as unknown as { authenticationGuard?: Guard; [PATCHED]?: true };
  if (proto[PATCHED]) return true;
  const original = proto.authenticationGuard;
  if (typeof original !== 'function') {
    log.warn('sip.js UserAgentClient has no authenticationGuard: only the last of several challenges is answered (sip.js version changed?)');
    return false;
  }
  proto.authenticationGuard = function authenticationGuardPreferring(this: unknown, message, ...rest): boolean {
    const header = message.statusCode === 401 ? 'www-authenticate' : message.statusCode === 407 ? 'proxy-authenticate' : undefined;
    if (header && typeof message.data === 'string') {
      const values = rawHeaderValues(message.data, header);
      const chosen = values.length > 1 ? preferredChallenge(values, header) : undefined;
      if (chosen) message.setHeader(header, chosen);
    }
    return original.call(this, message, ...rest);
  };
  proto[PATCHED] = true;
  return true;
}

/** Where the factory reads the line's credentials at each challenge (so a password change applies). */
export interface CredentialsSource {
  username: string;
  password?: string;
}

/** Answers `ua`'s challenges with {@link DigestCredentials} (MD5, SHA-256, SHA-512-256, their -sess). */
export function useDigestCredentials(ua: UserAgent, source: CredentialsSource, logTags?: LogTags): void {
  installDigestChallengeChoice();
  const uaLog = createLogger('sip-digest', logTags);
  const configuration = ua.userAgentCore.configuration;
  configuration.authenticationFactory = () =>
    new DigestCredentials({
      username: source.username,
      password: source.password,
      onRefuse: (reason) => uaLog.warn(`cannot authenticate: ${reason}`),
    }) as unknown as Core.DigestAuthentication;
}
