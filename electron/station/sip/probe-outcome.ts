/**
 * What a registration test found, in the operator's words: the PBX's final answer to one REGISTER
 * (after sip.js answered a digest challenge once), or why no answer came. Pure, so every outcome is
 * unit-tested without a PBX; registration-probe.ts runs the REGISTER.
 */
import type { SipTransportKind } from './sip-config';

export const PROBE_OUTCOMES = [
  'registered',
  'reachable',
  'wrong-password',
  'forbidden',
  'unknown-user',
  'rejected',
  'timeout',
  'refused',
  'dns',
  'tls-certificate',
  'error',
] as const;
export type ProbeOutcome = (typeof PROBE_OUTCOMES)[number];

export interface ProbeResult {
  /** True when the PBX accepted the account (registered), or, for a test without an account, answered. */
  ok: boolean;
  outcome: ProbeOutcome;
  /** The PBX's SIP status, when it answered. */
  code?: number;
  /** One sentence for the operator: what happened and what to check. */
  words: string;
  /** `host:port over UDP`, as tested. */
  target: string;
}

/** What was tested: where, and as whom (no account: a reachability test). */
export interface ProbeSubject {
  host: string;
  port: number;
  transport: SipTransportKind;
  /** The extension, and the digest user when it differs. */
  user?: string;
  authUser?: string;
}

export function probeTarget(s: ProbeSubject): string {
  const host = s.host.includes(':') && !s.host.startsWith('[') ? `[${s.host}]` : s.host;
  return `${host}:${s.port} over ${s.transport.toUpperCase()}`;
}

/** The PBX answered the REGISTER with a final response. */
export function outcomeOfAnswer(s: ProbeSubject, code: number, reason: string, expires?: number): ProbeResult {
  const target = probeTarget(s);
  const status = `${code} ${reason}`.trim();
  const who = s.user ? `extension ${s.user}` : 'the test user';
  const result = (ok: boolean, outcome: ProbeOutcome, words: string): ProbeResult => ({ ok, outcome, code, words, target });
  if (!s.user) {
    // Without an account any answer proves the PBX is there and speaks SIP on this transport.
    return result(true, 'reachable', `reachable: the PBX at ${target} answered (${status})`);
  }
  if (code >= 200 && code < 300) {
    return result(true, 'registered', `registered: the PBX at ${target} accepted ${who}${expires ? ` for ${expires} s` : ''} (${status})`);
  }
  const authUser = s.authUser && s.authUser !== s.user ? ` (auth user ${s.authUser})` : '';
  switch (code) {
    case 401:
    case 407:
      return result(false, 'wrong-password', `wrong password: the PBX refused the credentials of ${who}${authUser} after the digest answer (${status})`);
    case 403:
      return result(false, 'forbidden', `forbidden: the PBX refused ${who}${authUser} (${status}); the extension may be unknown to it, disabled, or not allowed to register from this address`);
    case 404:
      return result(false, 'unknown-user', `unknown user: the PBX has no ${who} (${status})`);
    case 408:
      return result(false, 'timeout', `timeout: the PBX at ${target} did not answer the REGISTER (${status})`);
    default:
      return result(false, 'rejected', `the PBX at ${target} refused the REGISTER of ${who}: ${status}`);
  }
}

/** No answer within the test's time. */
export function outcomeOfSilence(s: ProbeSubject, seconds: number): ProbeResult {
  const target = probeTarget(s);
  const hint = s.transport === 'udp' ? 'wrong host or port, a firewall, or nothing listening there' : 'the connection opened but no SIP answer came';
  return { ok: false, outcome: 'timeout', words: `timeout: no answer from ${target} in ${seconds} s (${hint})`, target };
}

const TLS_CERT = /certificate|altnames|self[- ]signed|unable to verify|CERT_|issuer|expired|ERR_TLS/i;
const DNS = /ENOTFOUND|EAI_AGAIN|ENODATA|cannot resolve|no A\/AAAA/i;
const REFUSED = /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|connection refused/i;
const CONNECT_TIMEOUT = /no connection within|ETIMEDOUT/i;

/** The PBX could not be reached: DNS, a refused connection or a TLS certificate the station does not trust. */
export function outcomeOfError(s: ProbeSubject, error: Error): ProbeResult {
  const target = probeTarget(s);
  const message = error.message;
  const result = (outcome: ProbeOutcome, words: string): ProbeResult => ({ ok: false, outcome, words, target });
  if (s.transport === 'tls' && TLS_CERT.test(message)) {
    return result('tls-certificate', `TLS certificate problem: the PBX's certificate at ${target} is not trusted: ${tlsReason(message)}; check the CA file and the TLS server name`);
  }
  if (DNS.test(message)) return result('dns', `DNS: the host name "${s.host}" could not be looked up (${lastPart(message)})`);
  if (REFUSED.test(message)) return result('refused', `connection refused: nothing accepts connections at ${target} (${lastPart(message)})`);
  if (CONNECT_TIMEOUT.test(message)) return result('timeout', `timeout: no connection to ${target} (${lastPart(message)})`);
  return result('error', `the test could not reach ${target}: ${message}`);
}

/** The transport wraps the socket's message (`cannot connect ... over TLS: addr:port: <reason>`). */
function lastPart(message: string): string {
  const parts = message.split(/: /);
  return parts[parts.length - 1]!.trim();
}

function tlsReason(message: string): string {
  const reason = lastPart(message);
  if (/self[- ]signed/i.test(reason)) return `${reason} (signed by a CA the station was not given)`;
  if (/unable to (verify|get local issuer)/i.test(reason)) return `${reason} (its CA is not in the CA file or the system store)`;
  if (/altnames|does not match/i.test(reason)) return `${reason} (the certificate names another host)`;
  if (/expired/i.test(reason)) return `${reason} (the certificate has expired)`;
  return reason;
}
