/**
 * Toll-fraud protection: the station trusts only its PBX.
 *
 * The filter decides on sip.js's own parse of the request (the transport parses the text with the same
 * parser the UserAgent runs on it), so the To tag, Call-ID and Request-URI it judges are the ones
 * sip.js then acts on: a tag hidden in a quoted parameter, a second To header or a compact `t:` next
 * to a `To:` cannot make it see an in-dialog request where sip.js sees a new call. (sip.js's parser
 * keeps the last of several To, From, Call-ID, CSeq and Content-Length headers, compact or not, the
 * first Via, and unfolds continuation lines; the well-formedness check then refuses such duplicates
 * outright, request-check.ts.)
 *
 * - From the PBX (a registrar or outbound-proxy address): out-of-dialog requests pass when their
 *   Request-URI user is a configured line; in-dialog ones pass (sip.js answers 481 if no dialog).
 * - From anywhere else: OPTIONS outside a dialog is answered 200 for any user (a qualify that reveals
 *   nothing, not even which extensions exist); an in-dialog
 *   request passes only when its Call-ID and tags name a dialog this line has and the source is one of
 *   that dialog's peers (its remote target or a hop of its route set); everything else is refused, the
 *   same way whatever was wrong, so a scanner learns nothing (not even which extensions exist).
 *
 * The check sits in the transport's receive path rather than in a UserAgent delegate because sip.js
 * answers some requests (404 for an unknown user, 482 loops, stateless OPTIONS) before any delegate
 * runs, and because a refused INVITE then never creates a transaction, an Invitation or a media handler.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-26.1.5 (denial of service)
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-12.2.2 (requests within a dialog)
 */
import type { IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import { normalizeAddress } from './transport/host-resolver';

/**
 * `qualify`: an OPTIONS from outside the PBX, let through to be answered 200 by the transport itself
 * whatever user it names (sip.js would answer 404 for a user that is not a line, telling which are).
 */
export type InboundVerdict = { allow: true; qualify?: true } | { allow: false; reason: string };

/**
 * The peer addresses of the dialog with this Call-ID, local tag (the request's To tag) and remote tag
 * (its From tag), or undefined when the line has no such dialog.
 */
export type DialogPeers = (callId: string, localTag: string, remoteTag: string) => Iterable<string> | undefined;

export interface InboundFilterOptions {
  /** Request-URI users that are configured lines (the AOR users and Contact users). */
  lineUsers: Iterable<string>;
  /** Addresses trusted from the start (more are added as the PBX and proxy names resolve). */
  trustedAddresses?: Iterable<string>;
  /** The line's dialogs; without it no in-dialog request from outside the PBX passes. */
  dialogs?: DialogPeers;
}

export class InboundFilter {
  private readonly users: Set<string>;
  private readonly trusted = new Set<string>();
  private dialogs: DialogPeers | undefined;
  private refusals = 0;

  constructor(options: InboundFilterOptions) {
    this.users = new Set(options.lineUsers);
    this.dialogs = options.dialogs;
    for (const a of options.trustedAddresses ?? []) this.trust(a);
  }

  /** Adds a resolved registrar or outbound-proxy address. */
  trust(address: string): void {
    this.trusted.add(normalizeAddress(address));
  }

  /** Connects the line's dialogs once its user agent exists. */
  useDialogs(dialogs: DialogPeers): void {
    this.dialogs = dialogs;
  }

  isTrusted(source: string): boolean {
    return this.trusted.has(normalizeAddress(source));
  }

  get trustedAddresses(): string[] {
    return [...this.trusted];
  }

  get refused(): number {
    return this.refusals;
  }

  /**
   * Decides about one received request as sip.js parsed it (undefined: sip.js cannot parse it);
   * `source` is the packet's source address.
   */
  check(req: IncomingRequestMessage | undefined, source: string): InboundVerdict {
    const verdict = this.decide(req, normalizeAddress(source));
    // The ACK that follows a refusal is dropped without being counted as one more.
    if (!verdict.allow && req?.method !== 'ACK') this.refusals++;
    return verdict;
  }

  private decide(req: IncomingRequestMessage | undefined, source: string): InboundVerdict {
    const trusted = this.trusted.has(source);
    // From the PBX a request sip.js cannot parse is answered 400 by the well-formedness check instead.
    if (!req) return trusted ? { allow: true } : { allow: false, reason: `unparsable request from ${source}, which is not the PBX` };
    if (req.toTag) return trusted ? { allow: true } : this.inDialog(req, source);
    if (!trusted) {
      if (req.method === 'OPTIONS') return { allow: true, qualify: true };
      return { allow: false, reason: `source ${source} is not the PBX (trusted: ${this.trustedAddresses.join(', ') || 'none'})` };
    }
    if (req.method === 'OPTIONS' || req.method === 'ACK') return { allow: true };
    const user = (req.ruri as { user?: string } | undefined)?.user;
    if (!user || !this.users.has(user)) return { allow: false, reason: `Request-URI user "${user ?? ''}" is not a configured line` };
    return { allow: true };
  }

  private inDialog(req: IncomingRequestMessage, source: string): InboundVerdict {
    const peers = this.dialogs?.(req.callId, req.toTag!, req.fromTag ?? '');
    if (!peers) return { allow: false, reason: `${req.method} from ${source} names no dialog of this line (Call-ID ${req.callId})` };
    for (const peer of peers) if (normalizeAddress(peer) === source) return { allow: true };
    return { allow: false, reason: `${req.method} from ${source} names a dialog whose peers are elsewhere` };
  }
}
