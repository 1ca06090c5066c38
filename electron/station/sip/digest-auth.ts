/**
 * SIP digest credentials with the RFC 8760 algorithms (SHA-256, SHA-512-256) besides MD5.
 *
 * sip.js 0.21's own `DigestAuthentication` refuses any challenge whose algorithm is not MD5. This class
 * has the same two methods sip.js calls on it (`authenticate(request, challenge)` then `toString()` for
 * the Authorization / Proxy-Authorization value), so the user agent core takes it through its
 * `authenticationFactory` (see {@link useDigestCredentials} in digest-challenge.ts).
 *
 * Computation (RFC 7616 section 3.4.1-3.4.3, used by SIP as RFC 8760 says), H = the challenge's hash,
 * every H() written as lowercase hex:
 *   A1 = user:realm:password            (-sess: H(user:realm:password):nonce:cnonce)
 *   A2 = method:uri                      (qop=auth-int: method:uri:H(body))
 *   response = H(H(A1):nonce:nc:cnonce:qop:H(A2))   or, without qop (RFC 2069), H(H(A1):nonce:H(A2))
 * `nc` counts the requests made with one nonce; it restarts at 1 when the server hands out a new one.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Algorithms we answer, by the upper-case name the sip.js grammar reports; value = node:crypto hash. */
const HASHES: Record<string, string> = {
  'MD5': 'md5',
  'MD5-SESS': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-SESS': 'sha256',
  'SHA-512-256': 'sha512-256',
  'SHA-512-256-SESS': 'sha512-256',
};

/** The spelling RFC 7616 gives each algorithm token (sip.js upper-cases what it parses). */
const CANONICAL: Record<string, string> = {
  'MD5': 'MD5',
  'MD5-SESS': 'MD5-sess',
  'SHA-256': 'SHA-256',
  'SHA-256-SESS': 'SHA-256-sess',
  'SHA-512-256': 'SHA-512-256',
  'SHA-512-256-SESS': 'SHA-512-256-sess',
};

/** Local preference among supported algorithms (RFC 8760 section 2.4 allows a local policy): higher wins. */
const STRENGTH: Record<string, number> = { 'MD5': 1, 'MD5-SESS': 1, 'SHA-256': 2, 'SHA-256-SESS': 2, 'SHA-512-256': 3, 'SHA-512-256-SESS': 3 };

/** Upper-case algorithm name of a challenge; a challenge without one means MD5 (RFC 3261 section 22.4). */
export function challengeAlgorithm(challenge: { algorithm?: string }): string {
  return (challenge.algorithm ?? 'MD5').toUpperCase();
}

/** How much we like an algorithm: 0 when we cannot answer it. */
export function algorithmStrength(algorithm: string): number {
  return STRENGTH[algorithm.toUpperCase()] ?? 0;
}

/** A WWW-Authenticate / Proxy-Authenticate challenge as sip.js's grammar parses it. */
export interface DigestChallenge {
  realm?: string;
  nonce?: string;
  opaque?: string;
  stale?: boolean;
  algorithm?: string;
  qop?: string[];
}

/** What sip.js hands `authenticate`: the request being retried (an OutgoingRequestMessage). */
export interface DigestRequest {
  method: string;
  ruri: { toString(): string } | string;
  body?: { body?: string };
}

export interface DigestCredentialsOptions {
  username: string;
  password?: string;
  /** Precomputed MD5 HA1 (sip.js's `authorizationHa1`); only usable for MD5 challenges. */
  ha1?: string;
  /** Client nonce source (tests); default 16 random bytes, hex. */
  cnonce?: () => string;
  /** Why a challenge was refused. */
  onRefuse?: (reason: string) => void;
}

export class DigestCredentials {
  /** Read by nothing in sip.js 0.21 but part of the shape it declares. */
  stale: boolean | undefined;
  private nc = 0;
  private nonce = '';
  private header: string | undefined;

  constructor(private readonly options: DigestCredentialsOptions) {}

  /**
   * Computes the credentials for `request` answering `challenge`. False (and nothing to send) when the
   * challenge is one we cannot answer: unknown algorithm, no realm/nonce, only unknown qop values.
   * `body` is what sip.js would pass for auth-int; it never does, so the request's own body is used.
   */
  authenticate(request: DigestRequest, challenge: DigestChallenge, body?: string): boolean {
    this.header = undefined;
    this.stale = challenge.stale;
    const algorithm = challengeAlgorithm(challenge);
    const hash = HASHES[algorithm];
    if (!hash) return this.refuse(`the challenge's digest algorithm ${challenge.algorithm} is not supported`);
    const { realm, nonce } = challenge;
    if (!realm) return this.refuse('the challenge has no realm');
    if (!nonce) return this.refuse('the challenge has no nonce');
    let qop: 'auth' | 'auth-int' | undefined;
    if (challenge.qop?.length) {
      if (challenge.qop.includes('auth')) qop = 'auth';
      else if (challenge.qop.includes('auth-int')) qop = 'auth-int';
      else return this.refuse(`the challenge offers only qop ${challenge.qop.join(',')}`);
    }
    const { username, password, ha1: md5Ha1 } = this.options;
    const presetHa1 = algorithm === 'MD5' && md5Ha1 ? md5Ha1 : undefined;
    if (presetHa1 === undefined && password === undefined) return this.refuse('no password to answer the challenge with');

    if (nonce !== this.nonce) {
      this.nonce = nonce;
      this.nc = 0;
    }
    this.nc = (this.nc % 0xffffffff) + 1;
    const nc = this.nc.toString(16).padStart(8, '0');
    const sess = algorithm.endsWith('-SESS');
    const cnonce = qop || sess ? (this.options.cnonce?.() ?? randomBytes(16).toString('hex')) : undefined;
    const uri = String(request.ruri);
    const H = (s: string): string => createHash(hash).update(s, 'utf8').digest('hex');

    let ha1 = presetHa1 ?? H(`${username}:${realm}:${password}`);
    if (sess) ha1 = H(`${ha1}:${nonce}:${cnonce}`);
    const a2 = qop === 'auth-int' ? `${request.method}:${uri}:${H(body ?? request.body?.body ?? '')}` : `${request.method}:${uri}`;
    const response = qop ? H(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${H(a2)}`) : H(`${ha1}:${nonce}:${H(a2)}`);

    const params = [
      `username="${quote(username)}"`,
      `realm="${quote(realm)}"`,
      `nonce="${quote(nonce)}"`,
      `uri="${quote(uri)}"`,
      `response="${response}"`,
      `algorithm=${CANONICAL[algorithm]}`,
    ];
    if (challenge.opaque !== undefined) params.push(`opaque="${quote(challenge.opaque)}"`);
    if (qop) params.push(`qop=${qop}`, `nc=${nc}`);
    if (cnonce !== undefined) params.push(`cnonce="${quote(cnonce)}"`);
    this.header = `Digest ${params.join(', ')}`;
    return true;
  }

  /** The Authorization / Proxy-Authorization value of the last successful {@link authenticate}. */
  toString(): string {
    if (!this.header) throw new Error('no digest credentials computed yet');
    return this.header;
  }

  private refuse(reason: string): false {
    this.options.onRefuse?.(reason);
    return false;
  }
}

/** quoted-string content: escape backslash and double quote (RFC 3261 section 25.1). */
function quote(s: string): string {
  return s.replace(/["\\]/g, (c) => `\\${c}`);
}
