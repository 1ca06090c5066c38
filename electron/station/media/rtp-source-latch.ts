/**
 * Which source a call's media is taken from and sent back to. Symmetric RTP (RFC 4961) answers where
 * the peer's packets come from, which gets audio through a NAT in front of the PBX; taken literally it
 * lets anyone who can reach the call's port take the call over: one packet from a stranger and the
 * caller's voice goes to the stranger, and the stranger's audio to the WhatsApp side. So the latch is
 * narrow:
 *
 * - only a packet from an address the SDP names (c=) or from one of the PBX's media addresses latches;
 * - a later source may replace the first only within `windowMs` of the first latch (a PBX that starts
 *   its media from another port), never later in the call;
 * - everything else is dropped and counted, and the first of each stranger is logged.
 *
 *   unlatched --packet from an allowed address--> latched(source)
 *   latched(source) --allowed address, within the window--> latched(new source)
 *   latched(source) --any other source--> latched(source)   (packet dropped, counted as foreign)
 *   any --reset() (answer or re-INVITE names a new address)--> unlatched
 *
 * @see https://www.rfc-editor.org/rfc/rfc4961 (symmetric RTP)
 * @see https://www.rfc-editor.org/rfc/rfc3550#section-8.2 (collisions and loops: third-party sources)
 */

export interface MediaSource {
  address: string;
  port: number;
}

export interface RtpSourceLatchOptions {
  /** Addresses of the PBX's media besides the SDP's (its media relays), trusted to latch. */
  trustedAddresses?: readonly string[];
  /** How long after the first latch another allowed source may replace it; default 2 s. */
  windowMs?: number;
  now?: () => number;
}

export type SourceVerdict = { accept: true; latchedNow: boolean } | { accept: false; firstFromSource: boolean };

/** Foreign sources remembered for the log, at most; past that they are still dropped and counted. */
const MAX_REMEMBERED_STRANGERS = 64;

const key = (s: MediaSource): string => `${s.address}:${s.port}`;
/** IPv4-mapped IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket reports) compared as IPv4. */
const plain = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();

export class RtpSourceLatch {
  private sdp: MediaSource | null = null;
  private source: MediaSource | null = null;
  private latchedAt = 0;
  private readonly strangers = new Set<string>();
  private readonly windowMs: number;
  private readonly now: () => number;
  /** Packets dropped because they came from a source other than the call's. */
  foreign = 0;

  constructor(private readonly opts: RtpSourceLatchOptions = {}) {
    this.windowMs = opts.windowMs ?? 2_000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** The SDP named (a new) remote media address: forget the latch and send there until a packet latches. */
  reset(sdp: MediaSource): void {
    this.sdp = sdp;
    this.source = null;
  }

  /** Where media goes: the latched source, else what the SDP named. */
  get remote(): MediaSource | null {
    return this.source ?? this.sdp;
  }

  get latched(): boolean {
    return this.source !== null;
  }

  /** Whether a packet from `from` belongs to the call; latches on the first that may. */
  check(from: MediaSource): SourceVerdict {
    const current = this.source;
    if (current && current.port === from.port && plain(current.address) === plain(from.address)) return { accept: true, latchedNow: false };
    if (this.allowed(from.address) && (!current || this.now() - this.latchedAt <= this.windowMs)) {
      if (!current) this.latchedAt = this.now();
      this.source = { address: from.address, port: from.port };
      return { accept: true, latchedNow: true };
    }
    this.foreign++;
    const k = key(from);
    const firstFromSource = !this.strangers.has(k) && this.strangers.size < MAX_REMEMBERED_STRANGERS;
    if (firstFromSource) this.strangers.add(k);
    return { accept: false, firstFromSource };
  }

  private allowed(address: string): boolean {
    const a = plain(address);
    if (this.sdp && plain(this.sdp.address) === a) return true;
    return (this.opts.trustedAddresses ?? []).some((t) => plain(t) === a);
  }
}
