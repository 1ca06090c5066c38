/**
 * What a received request passes before sip.js sees it: sip.js's own parse, the toll-fraud filter and
 * the well-formedness check, in that order of authority:
 *
 *   text --parse (sip.js Parser)--> filter --(PBX, or allowed)--> check --(ok)--> stamp Via received/rport
 *                                     |                              |          --> [2543: add Contact] --> deliver
 *                                     |                              |          (a stranger's OPTIONS: answer 200)
 *                                     |                              \--(refusal)--> answer 4xx/505
 *                                     \--(stranger, refused)--> answer 403
 *
 * A stranger who is refused gets 403 whatever else is wrong with the request, so it learns nothing
 * about the station (RFC 3261 section 8.2 puts authorization before header inspection); the PBX, and a
 * stranger whose request is allowed (an OPTIONS, a request inside its own dialog), get the answer that
 * says what is wrong. A stranger's well-formed OPTIONS is answered 200 here, the same for every user.
 * An ACK is never answered (RFC 3261 section 17.2.1): refused, it is dropped.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-8.2
 */
import { randomBytes } from 'node:crypto';
import { AllowedMethods } from 'sip.js/lib/core/user-agent-core/allowed-methods.js';
import { IncomingRequestMessage, Parser, type Logger } from 'sip.js/lib/core/index.js';
import type { InboundFilter, InboundVerdict } from '../inbound-filter';
import { checkRequest } from './request-check';
import { buildStatelessResponse, type PeekedMessage } from './sip-message-peek';
import { stampReceived } from './via-received';

export type GateDecision =
  /** Hand `text` to sip.js (possibly with a Contact added). */
  | { kind: 'deliver'; text: string }
  /** Send `text` back to the source; `why` is for the log. */
  | { kind: 'answer'; text: string; status: number; why: string }
  /** Say nothing (an ACK). */
  | { kind: 'drop'; why: string };

export interface InboundGateOptions {
  filter?: InboundFilter;
  /** Option tags the user agent supports (read at each request: the UA is built after the transport). */
  supportedExtensions?: () => Iterable<string>;
}

export interface RequestSource {
  address: string;
  port: number;
}

/** Parses as sip.js's UserAgent will (same parser, same text), keeping the parser's complaint. */
export function parseLikeSipJs(text: string): { parsed?: IncomingRequestMessage; error?: string } {
  let error: string | undefined;
  const note = (m: string): void => {
    error ??= m;
  };
  const logger = { warn: note, error: note, log: note, debug: () => undefined } as unknown as Logger;
  const parsed = Parser.parseMessage(text, logger);
  return parsed instanceof IncomingRequestMessage ? { parsed } : { error: error ?? 'not a request' };
}

export class InboundGate {
  constructor(private readonly options: InboundGateOptions) {}

  admit(text: string, msg: PeekedMessage, source: RequestSource): GateDecision {
    const { parsed, error } = parseLikeSipJs(text);
    const filter = this.options.filter;
    const verdict: InboundVerdict = filter ? filter.check(parsed, source.address) : { allow: true };
    if (!verdict.allow && !filter!.isTrusted(source.address)) return this.answer(msg, 403, 'Forbidden', verdict.reason);
    const refusal = checkRequest(msg, parsed, error, { supportedExtensions: this.options.supportedExtensions?.() ?? [] });
    if (refusal) return this.answer(msg, refusal.status, refusal.reason, refusal.why, refusal.headers);
    if (!verdict.allow) return this.answer(msg, 403, 'Forbidden', verdict.reason);
    // sip.js throws on an out-of-dialog PRACK (RFC 3262 section 3: it belongs to an INVITE's dialog).
    if (parsed!.method === 'PRACK' && !parsed!.toTag) return this.answer(msg, 481, 'Call/Transaction Does Not Exist', 'PRACK outside a dialog');
    if (verdict.qualify) return this.answer(msg, 200, 'OK', 'OPTIONS from outside the PBX', [`Allow: ${AllowedMethods.join(', ')}`, 'Accept: application/sdp']);
    const stamped = stampReceived(text, source);
    if (parsed!.method === 'INVITE' && !parsed!.hasHeader('contact')) return { kind: 'deliver', text: withSourceContact(stamped, source) };
    return { kind: 'deliver', text: stamped };
  }

  private answer(msg: PeekedMessage, status: number, reason: string, why: string, headers: string[] = []): GateDecision {
    if (msg.method === 'ACK') return { kind: 'drop', why };
    const text = buildStatelessResponse(msg, status, reason, randomBytes(5).toString('hex'), headers);
    return { kind: 'answer', text, status, why };
  }
}

/**
 * An RFC 2543 INVITE may have no Contact (RFC 3261 section 8.1.1.8 made it mandatory); sip.js refuses
 * one without. The dialog's requests then go where the INVITE came from, which is also what works
 * behind a NAT, so the Contact added names the source address and port.
 */
function withSourceContact(text: string, source: RequestSource): string {
  const host = source.address.includes(':') ? `[${source.address}]` : source.address;
  const firstLineEnd = text.indexOf('\r\n');
  return `${text.slice(0, firstLineEnd)}\r\nContact: <sip:${host}:${source.port}>${text.slice(firstLineEnd)}`;
}
