/**
 * Server transaction matching as RFC 3261 section 17.2.3 says, for sip.js and for the UDP transport.
 *
 * sip.js 0.21 keys its server transactions by the top Via branch alone ("FIXME: Currently only using
 * rule 1"), so a new request that reuses an active branch (another sender's sent-by, another method,
 * another Call-ID) is swallowed as a retransmission, and a request without a branch (RFC 2543) matches
 * every other one without a branch. {@link installServerTransactionMatching} replaces the key sip.js
 * reads (`message.viaBranch`, used only as the transaction id) before the core looks it up:
 *
 * - branch with the magic cookie `z9hG4bK`: branch + sent-by + method, where ACK and CANCEL take the
 *   INVITE's method (ACK to a non-2xx and CANCEL belong to the INVITE's transaction, RFC 3261 section
 *   9.2), plus the Call-ID and CSeq number, which a retransmission repeats and a stranger's reuse of the
 *   branch does not.
 * - no cookie (RFC 2543 section 17.2.3 rules): Request-URI, From tag, Call-ID, CSeq number and the top
 *   Via's transport and sent-by, the method folded the same way. The To tag is left out so that the ACK
 *   of a non-2xx (which carries our tag) still finds its INVITE.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-17.2.3
 */
import { TransactionState, UserAgentCore, type IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import type { PeekedMessage } from './sip-message-peek';

const MAGIC_COOKIE = 'z9hG4bK';

/** The fields a key is made of, whichever parser read them. */
export interface TransactionFields {
  method: string;
  branch?: string;
  /** Top Via `transport host:port` as sent (the port left empty when absent). */
  sentBy: string;
  callId: string;
  cseqNumber: string;
  requestUri: string;
  fromTag: string;
}

/** The method whose transaction a request belongs to (RFC 3261 sections 9.2 and 17.2.3). */
function transactionMethod(method: string): string {
  return method === 'ACK' || method === 'CANCEL' ? 'INVITE' : method;
}

/** The key of the server transaction a request belongs to; retransmissions get the same key. */
export function transactionKey(f: TransactionFields, foldMethod = true): string {
  const method = foldMethod ? transactionMethod(f.method) : f.method;
  if (f.branch?.startsWith(MAGIC_COOKIE)) return [f.branch, f.sentBy, method, f.callId, f.cseqNumber].join('\u0000');
  return ['rfc2543', f.requestUri, f.fromTag, f.callId, f.cseqNumber, f.sentBy, method].join('\u0000');
}

/** Fields of a sip.js parse (what its core acts on). */
export function parsedTransactionFields(m: IncomingRequestMessage): TransactionFields {
  const via = m.via as { transport?: string; host?: string; port?: number } | undefined;
  return {
    method: m.method,
    branch: m.viaBranch,
    sentBy: `${(via?.transport ?? '').toUpperCase()} ${(via?.host ?? '').toLowerCase()}:${via?.port ?? ''}`,
    callId: m.callId ?? '',
    cseqNumber: String(m.cseq ?? ''),
    requestUri: String(m.ruri ?? ''),
    fromTag: m.fromTag ?? '',
  };
}

/**
 * The key under which the UDP transport remembers where a request came from, computed alike from the
 * request received and from the response sip.js sends to it (which copies Via, Call-ID and CSeq). The
 * method is not folded: a CANCEL's 200 goes where the CANCEL came from.
 */
export function peekedSourceKey(msg: PeekedMessage): string {
  const via = msg.via;
  const [cseqNumber = ''] = (msg.cseq ?? '').trim().split(/\s+/);
  const sentBy = via ? `${via.transport} ${via.host.toLowerCase()}:${via.port ?? ''}` : (msg.vias[0] ?? '');
  return transactionKey({ method: msg.method, branch: via?.branch, sentBy, callId: msg.callId ?? '', cseqNumber, requestUri: '', fromTag: '' }, false);
}

const PATCHED = Symbol.for('sip2wa.server-transaction-key');

interface CorePrototype {
  receiveIncomingRequestFromTransport(this: UserAgentCore, message: IncomingRequestMessage): void;
  [PATCHED]?: true;
}

/**
 * Makes sip.js match server transactions by {@link transactionKey}. Idempotent; returns false (and
 * changes nothing) when the sip.js method it wraps is missing.
 */
export function installServerTransactionMatching(): boolean {
  const proto = UserAgentCore.prototype as unknown as CorePrototype;
  if (proto[PATCHED]) return true;
  const original = proto.receiveIncomingRequestFromTransport;
  if (typeof original !== 'function') return false;
  proto.receiveIncomingRequestFromTransport = function receiveMatched(this: UserAgentCore, message: IncomingRequestMessage): void {
    // `viaBranch` is read only as the transaction id; responses copy the Via header text itself.
    let key = transactionKey(parsedTransactionFields(message));
    // An ACK that matches an INVITE transaction which sent a 2xx is the ACK of that 2xx: it goes to the
    // dialog (RFC 6026 section 7.1), where sip.js would discard it. Only RFC 2543 clients send it so
    // (without a branch, an ACK and its INVITE share the key); it is what ends the 2xx retransmissions.
    if (message.method === 'ACK' && this.userAgentServers.get(key)?.transaction.state === TransactionState.Accepted) key += '\u0000ack-2xx';
    message.viaBranch = key;
    original.call(this, message);
  };
  proto[PATCHED] = true;
  return true;
}
