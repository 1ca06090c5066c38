/**
 * Toll-fraud protection: the station trusts only its PBX.
 *
 * An out-of-dialog request (no To tag) other than OPTIONS and ACK is let through only when it comes
 * from one of the registrar/outbound-proxy addresses and its Request-URI user is a configured line.
 * Anything else is answered 403 by the transport before sip.js parses it, so a scanner on the internet
 * can neither ring a phone nor learn which extensions exist (every refusal looks the same).
 * In-dialog requests pass: sip.js answers 481 unless they match a dialog it already has.
 *
 * The check sits in the transport's receive path rather than in a UserAgent delegate because sip.js
 * answers some requests (404 for an unknown user, 482 loops, stateless OPTIONS) before any delegate
 * runs, and because a refused INVITE then never creates a transaction, an Invitation or a media handler.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-26.1.5 (denial of service)
 */
import type { PeekedMessage } from './transport/sip-message-peek';
import { normalizeAddress } from './transport/host-resolver';

export type InboundVerdict = { allow: true } | { allow: false; reason: string };

export interface InboundFilterOptions {
  /** Request-URI users that are configured lines (the AOR users and Contact users). */
  lineUsers: Iterable<string>;
  /** Addresses trusted from the start (more are added as the PBX and proxy names resolve). */
  trustedAddresses?: Iterable<string>;
}

/** Methods answered whatever their source: OPTIONS is a PBX qualify and reveals nothing. */
const ALWAYS_ALLOWED = new Set(['OPTIONS', 'ACK']);

export class InboundFilter {
  private readonly users: Set<string>;
  private readonly trusted = new Set<string>();
  private refusals = 0;

  constructor(options: InboundFilterOptions) {
    this.users = new Set(options.lineUsers);
    for (const a of options.trustedAddresses ?? []) this.trust(a);
  }

  /** Adds a resolved registrar or outbound-proxy address. */
  trust(address: string): void {
    this.trusted.add(normalizeAddress(address));
  }

  get trustedAddresses(): string[] {
    return [...this.trusted];
  }

  get refused(): number {
    return this.refusals;
  }

  /** Decides about one received request; `source` is the packet's source address. */
  check(msg: PeekedMessage, source: string): InboundVerdict {
    if (msg.kind !== 'request' || ALWAYS_ALLOWED.has(msg.method) || msg.toTag) return { allow: true };
    const verdict = this.decide(msg, normalizeAddress(source));
    if (!verdict.allow) this.refusals++;
    return verdict;
  }

  private decide(msg: PeekedMessage, source: string): InboundVerdict {
    if (!this.trusted.has(source)) {
      return { allow: false, reason: `source ${source} is not the PBX (trusted: ${this.trustedAddresses.join(', ') || 'none'})` };
    }
    if (!msg.requestUser || !this.users.has(msg.requestUser)) {
      return { allow: false, reason: `Request-URI user "${msg.requestUser ?? ''}" is not a configured line` };
    }
    return { allow: true };
  }
}
