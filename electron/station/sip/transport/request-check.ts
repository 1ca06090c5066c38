/**
 * Well-formedness of a received request, checked before sip.js acts on it, with the answers RFC 3261
 * section 8.2 and the RFC 4475 section 3 torture tests ask for:
 *
 * | finding                                                          | answer |
 * |------------------------------------------------------------------|--------|
 * | SIP version other than 2.0 (RFC 4475 "badvers")                  | 505    |
 * | does not parse as sip.js parses it; bare CR/LF; mandatory header missing | 400 |
 * | several To/From/Call-ID/CSeq/Content-Length/Content-Type/Max-Forwards ("multi01") | 400 |
 * | CSeq not `number method`, or its method not the request's ("mismatch01") | 400 |
 * | Request-URI scheme not sip/sips ("unksm", "unksm2")               | 416    |
 * | Require naming an extension the UA does not support (8.2.2.3)    | 420 + Unsupported |
 * | INVITE/UPDATE body that is not plain application/sdp (8.2.3, "invut") | 415 + Accept |
 * | INVITE whose Accept excludes application/sdp (8.2.3)             | 406    |
 *
 * Every check reads the same parse sip.js acts on (or the raw header list for what sip.js folds away,
 * such as a second To header that it silently replaces), so no request reaches sip.js that it would
 * read differently from what was checked.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-8.2
 * @see https://www.rfc-editor.org/rfc/rfc4475#section-3
 */
import type { IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import { splitList, type PeekedMessage } from './sip-message-peek';

export interface Refusal {
  status: number;
  reason: string;
  /** What was wrong, for the log. */
  why: string;
  /** Headers the answer must carry (Unsupported for 420, Accept for 415). */
  headers?: string[];
}

export interface RequestCheckOptions {
  /** Option tags the user agent supports (what it lists in Supported). */
  supportedExtensions: Iterable<string>;
}

/** Headers a request carries once (RFC 3261 section 7.3.1: only list headers may repeat). */
const SINGLE = ['to', 'from', 'call-id', 'cseq', 'content-length', 'content-type', 'max-forwards'];
const MANDATORY = ['to', 'from', 'call-id', 'cseq', 'via'];
/** Methods whose body sip.js hands to the session description handler as SDP. */
const SDP_METHODS = new Set(['INVITE', 'UPDATE']);
const SDP = 'application/sdp';

const bad = (why: string): Refusal => ({ status: 400, reason: 'Bad Request', why });

/** The first reason to refuse `msg`, or undefined when sip.js may have it. */
export function checkRequest(msg: PeekedMessage, parsed: IncomingRequestMessage | undefined, parseError: string | undefined, options: RequestCheckOptions): Refusal | undefined {
  if (msg.version !== '2.0') return { status: 505, reason: 'Version Not Supported', why: `SIP version ${msg.version}` };
  // The scheme first (RFC 4475 "unksm2": its To is in the same unknown scheme, which sip.js cannot parse).
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(msg.requestUri ?? '')?.[1]?.toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips') return { status: 416, reason: 'Unsupported URI Scheme', why: `Request-URI scheme "${scheme ?? 'none'}"` };
  if (msg.framingError) return bad(msg.framingError);
  if (!parsed) return bad(parseError ?? 'the message does not parse');
  // sip.js leaves `ruri` undefined for a Request-URI it cannot parse (and then throws).
  if (!parsed.ruri) return bad(`Request-URI "${msg.requestUri ?? ''}" does not parse`);
  return checkHeaders(msg) ?? checkCseq(msg.method, parsed) ?? checkRequire(parsed, options) ?? checkBody(parsed);
}

function checkHeaders(msg: PeekedMessage): Refusal | undefined {
  for (const name of MANDATORY) {
    if (!msg.headers.some(([n]) => n === name)) return bad(`no ${name} header`);
  }
  for (const name of SINGLE) {
    const values = msg.headers.filter(([n]) => n === name).flatMap(([, v]) => (name === 'call-id' ? [v] : splitList(v)));
    if (values.length > 1) return bad(`${values.length} ${name} headers`);
  }
  return undefined;
}

function checkCseq(method: string, parsed: IncomingRequestMessage): Refusal | undefined {
  const m = /^(\d{1,10})\s+(\S+)$/.exec(parsed.getHeader('cseq')?.trim() ?? '');
  if (!m || Number(m[1]) > 2 ** 31 - 1) return bad(`CSeq "${parsed.getHeader('cseq') ?? ''}" is not a number below 2^31 and a method`);
  if (m[2] !== method) return bad(`CSeq method ${m[2]} does not match the request's ${method}`);
  return undefined;
}

function checkRequire(parsed: IncomingRequestMessage, options: RequestCheckOptions): Refusal | undefined {
  // Require is ignored in ACK and CANCEL (RFC 3261 section 8.2.2.3).
  if (parsed.method === 'ACK' || parsed.method === 'CANCEL') return undefined;
  const supported = new Set([...options.supportedExtensions].map((t) => t.toLowerCase()));
  const unsupported = parsed
    .getHeaders('require')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim())
    .filter((t) => t && !supported.has(t.toLowerCase()));
  if (unsupported.length === 0) return undefined;
  return { status: 420, reason: 'Bad Extension', why: `Require: ${unsupported.join(', ')}`, headers: [`Unsupported: ${unsupported.join(', ')}`] };
}

/** The bare media type of a Content-Type / Accept entry, lower-cased. */
const mediaType = (value: string): string => value.split(';')[0]!.trim().toLowerCase();

function checkBody(parsed: IncomingRequestMessage): Refusal | undefined {
  if (!SDP_METHODS.has(parsed.method)) return undefined;
  if (parsed.body && parsed.body.length > 0) {
    const type = mediaType(parsed.getHeader('content-type') ?? '');
    if (type !== SDP) {
      return { status: 415, reason: 'Unsupported Media Type', why: `body of type "${type || 'none'}"`, headers: [`Accept: ${SDP}`] };
    }
    const encoding = (parsed.getHeader('content-encoding') ?? '').trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      return { status: 415, reason: 'Unsupported Media Type', why: `Content-Encoding "${encoding}"`, headers: [`Accept: ${SDP}`, 'Accept-Encoding: identity'] };
    }
  }
  if (parsed.method === 'INVITE' && parsed.hasHeader('accept')) {
    // An empty Accept accepts nothing (RFC 3261 section 20.1); the answer to an INVITE is SDP.
    const ranges = parsed.getHeaders('accept').flatMap((v) => v.split(',')).map(mediaType).filter(Boolean);
    if (!ranges.some((r) => r === SDP || r === 'application/*' || r === '*/*')) {
      return { status: 406, reason: 'Not Acceptable', why: `Accept: ${ranges.join(', ') || '(empty)'} excludes ${SDP}`, headers: [`Accept: ${SDP}`] };
    }
  }
  return undefined;
}
