/**
 * DTMF as RTP telephone-events ({@link https://www.rfc-editor.org/rfc/rfc4733 | RFC 4733}).
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |     event     |E|R| volume    |          duration             |
 * ```
 *
 * Receive: all packets of one event share its RTP timestamp (§2.5.1.1), the sender repeats packets while
 * the key is held and sends the end packet (E bit) three times (§2.5.1.4). The receiver reports each
 * event once, when it ends (or when a new event starts and the end packets of the old one were all lost).
 *
 * Send: a planned event is a list of packets with their send offsets: the first carries the marker
 * (§2.5.1.3), continuations follow every 50 ms with the growing duration, and the end packet goes three
 * times. The caller (the RTP session) stamps sequence numbers as it sends and holds back audio meanwhile.
 */

/** Event codes 0-15 (§3.2): 0-9, then *, #, A-D. */
export const DTMF_DIGITS = '0123456789*#ABCD';

export interface TelephoneEvent {
  event: number;
  end: boolean;
  /** Power level in -dBm0 (0-63). */
  volume: number;
  /** Duration so far, in RTP timestamp units. */
  duration: number;
}

export interface DtmfDigit {
  digit: string;
  durationMs: number;
  volume: number;
  /** The RTP timestamp that identifies the event. */
  timestamp: number;
}

const FLAG_END = 0x80;
const MASK_VOLUME = 0x3f;

export function digitToEvent(digit: string): number {
  const code = DTMF_DIGITS.indexOf(digit.toUpperCase());
  if (code < 0 || digit.length !== 1) throw new RangeError(`'${digit}' is not a DTMF digit (0-9, *, #, A-D)`);
  return code;
}

export function encodeTelephoneEvent(e: TelephoneEvent): Uint8Array {
  return Uint8Array.of(e.event, (e.end ? FLAG_END : 0) | (e.volume & MASK_VOLUME), (e.duration >> 8) & 0xff, e.duration & 0xff);
}

/** Decodes the first event block; null when the payload is too short to be one. */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  return { event: payload[0]!, end: (payload[1]! & FLAG_END) !== 0, volume: payload[1]! & MASK_VOLUME, duration: (payload[2]! << 8) | payload[3]! };
}

/** Collapses the packets of each event to one digit. */
export class DtmfReceiver {
  private current: { timestamp: number; event: number; duration: number; volume: number } | null = null;
  private lastEnded: number | null = null;

  constructor(private readonly clockRate = 8000) {}

  /** Feeds one telephone-event payload; returns the digit that just completed, if any. */
  push(timestamp: number, payload: Uint8Array): DtmfDigit | null {
    const e = decodeTelephoneEvent(payload);
    if (!e || e.event > 15) return null; // events beyond 15 (fax tones, flash) are not DTMF digits
    if (timestamp === this.lastEnded) return null; // a repeated end packet
    let finished: DtmfDigit | null = null;
    if (this.current && this.current.timestamp !== timestamp) {
      // A new event began while the old one never saw an end packet: report the old one as it stood.
      finished = this.finish(this.current);
      this.current = null;
    }
    const cur = (this.current ??= { timestamp, event: e.event, duration: 0, volume: e.volume });
    cur.duration = Math.max(cur.duration, e.duration);
    if (e.end) {
      this.lastEnded = timestamp;
      this.current = null;
      return this.finish(cur);
    }
    return finished;
  }

  private finish(c: { timestamp: number; event: number; duration: number; volume: number }): DtmfDigit {
    return { digit: DTMF_DIGITS[c.event]!, durationMs: Math.round((c.duration / this.clockRate) * 1000), volume: c.volume, timestamp: c.timestamp };
  }
}

export interface PlannedEventPacket {
  /** Send offset from the event start, in milliseconds. */
  atMs: number;
  marker: boolean;
  payload: Uint8Array;
}

export interface DtmfPlanOptions {
  durationMs?: number;
  /** Continuation interval (§2.5.1.2 suggests 50 ms). */
  intervalMs?: number;
  /** -dBm0 */
  volume?: number;
  clockRate?: number;
  /** Spacing of the three end packets, so a short burst of loss does not take all of them. */
  endSpacingMs?: number;
}

/** Plans the packets of one event; they all carry the event's single RTP timestamp. */
export function planTelephoneEvent(digit: string, opts: DtmfPlanOptions = {}): PlannedEventPacket[] {
  const { durationMs = 100, intervalMs = 50, volume = 10, clockRate = 8000, endSpacingMs = 20 } = opts;
  const event = digitToEvent(digit);
  const units = (ms: number): number => Math.min(0xffff, Math.round((ms * clockRate) / 1000));
  const packets: PlannedEventPacket[] = [];
  for (let at = 0; at < durationMs; at += intervalMs) {
    packets.push({ atMs: at, marker: at === 0, payload: encodeTelephoneEvent({ event, end: false, volume, duration: units(Math.min(at + intervalMs, durationMs)) }) });
  }
  const end = encodeTelephoneEvent({ event, end: true, volume, duration: units(durationMs) });
  for (let i = 0; i < 3; i++) packets.push({ atMs: durationMs + i * endSpacingMs, marker: false, payload: end });
  return packets;
}

/**
 * Queues digits and hands out the packets due at each tick. One event at a time, with a gap between
 * digits so the far end's detector sees separate key presses.
 */
export class DtmfSender {
  private queue: string[] = [];
  private active: { packets: PlannedEventPacket[]; startMs: number; timestamp: number; endMs: number } | null = null;
  private gapUntilMs = 0;

  constructor(private readonly opts: DtmfPlanOptions & { gapMs?: number } = {}) {}

  /** Validates and queues digits; throws a RangeError naming the first bad one. */
  enqueue(digits: string): void {
    for (const d of digits) digitToEvent(d);
    this.queue.push(...digits.toUpperCase());
  }

  /** True while an event is being sent (the session suppresses audio meanwhile). */
  get busy(): boolean {
    return this.active !== null;
  }

  get pending(): number {
    return this.queue.length + (this.active ? 1 : 0);
  }

  /**
   * The packets due by `nowMs`. `audioTimestamp` is the RTP timestamp of the audio at this moment; a new
   * event takes it as its own timestamp.
   */
  tick(nowMs: number, audioTimestamp: number): Array<{ marker: boolean; payload: Uint8Array; timestamp: number }> {
    if (!this.active) {
      if (!this.queue.length || nowMs < this.gapUntilMs) return [];
      const digit = this.queue.shift()!;
      const packets = planTelephoneEvent(digit, this.opts);
      this.active = { packets, startMs: nowMs, timestamp: audioTimestamp >>> 0, endMs: nowMs + packets[packets.length - 1]!.atMs };
    }
    const a = this.active;
    const due: Array<{ marker: boolean; payload: Uint8Array; timestamp: number }> = [];
    while (a.packets.length && a.startMs + a.packets[0]!.atMs <= nowMs) {
      const p = a.packets.shift()!;
      due.push({ marker: p.marker, payload: p.payload, timestamp: a.timestamp });
    }
    if (!a.packets.length) {
      this.active = null;
      this.gapUntilMs = nowMs + (this.opts.gapMs ?? 60);
    }
    return due;
  }
}
