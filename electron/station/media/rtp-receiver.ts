/**
 * Receive-side bookkeeping for one RTP stream: sequence validation, loss and jitter.
 *
 * Sequence tracking follows {@link https://www.rfc-editor.org/rfc/rfc3550#appendix-A.1 | RFC 3550 A.1}
 * (probation, MAX_DROPOUT, MAX_MISORDER, the bad_seq restart), plus a window of recently seen extended
 * sequence numbers so duplicates are dropped: A.1 alone would count a duplicated packet twice and hand the
 * jitter buffer the same audio again. Interarrival jitter is RFC 3550 A.8; the loss figures for RTCP
 * report blocks are A.3.
 *
 * Source states:
 *
 *   idle --first packet--> probation --MIN_SEQUENTIAL in order--> valid
 *                            ^  \--out of order--> probation (restart)      |
 *                            \------------- SSRC change (reset) -------------/
 *
 * Comfort noise (RFC 3389, PT 13) is part of the sequence space: it is counted as received, never as lost,
 * and the caller plays it as silence.
 */

import type { RtpPacket } from './rtp-packet';

/** Static payload type of comfort noise (RFC 3551 table 4, RFC 3389). */
export const PT_COMFORT_NOISE = 13;

const RTP_SEQ_MOD = 1 << 16;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
const SEEN_WINDOW = 1024;

export enum SourceState {
  Idle = 'idle',
  Probation = 'probation',
  Valid = 'valid',
}

export type ReceiveVerdict =
  | { accepted: true; extendedSeq: number; reordered: boolean; comfortNoise: boolean; ssrcChanged: boolean }
  | { accepted: false; reason: 'duplicate' | 'probation' | 'bad-seq' | 'too-old'; ssrcChanged: boolean };

export interface RtpReceiverOptions {
  /** The RTP clock rate of the stream, for jitter in timestamp units (8000 for G.722 as well). */
  clockRate: number;
  /** Packets in sequence needed before a new source is valid (A.1 MIN_SEQUENTIAL); 0 trusts the first. */
  minSequential?: number;
}

export interface RtpReceiverStats {
  state: SourceState;
  ssrc: number | null;
  ssrcChanges: number;
  /** Distinct packets accepted (comfort noise included). */
  received: number;
  expected: number;
  /** expected - received, clamped at 0 (duplicates and late arrivals can briefly make it negative). */
  lost: number;
  duplicates: number;
  reordered: number;
  /** Packets dropped while a new source was on probation or after a wild sequence jump. */
  probationDrops: number;
  badSeq: number;
  comfortNoise: number;
  /** Interarrival jitter (A.8) in milliseconds. */
  jitterMs: number;
}

/** One RTCP report block's receive figures (RFC 3550 §6.4.1), computed per A.3. */
export interface ReceptionReport {
  ssrc: number;
  fractionLost: number;
  cumulativeLost: number;
  extendedHighestSeq: number;
  jitter: number;
}

export class RtpReceiver {
  private state = SourceState.Idle;
  private ssrc: number | null = null;
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private probation = 0;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit: number | null = null;
  private jitter = 0;
  private seen = new Float64Array(SEEN_WINDOW).fill(-1);
  private counters = { ssrcChanges: 0, duplicates: 0, reordered: 0, probationDrops: 0, badSeq: 0, comfortNoise: 0 };
  private readonly minSequential: number;

  constructor(private readonly opts: RtpReceiverOptions) {
    this.minSequential = opts.minSequential ?? 2;
  }

  /**
   * Accounts for one packet that arrived at `arrivalMs` (any monotonic millisecond clock) and says
   * whether it should go on to the jitter buffer.
   */
  push(packet: RtpPacket, arrivalMs: number): ReceiveVerdict {
    let ssrcChanged = false;
    if (this.ssrc !== packet.ssrc) {
      ssrcChanged = this.ssrc !== null;
      if (ssrcChanged) this.counters.ssrcChanges++;
      this.resetSource(packet.ssrc, packet.sequenceNumber);
    }
    const seq = packet.sequenceNumber;

    if (this.state === SourceState.Probation) {
      // A.1: a source must send MIN_SEQUENTIAL packets in order before it counts.
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation > 0) {
          this.counters.probationDrops++;
          return { accepted: false, reason: 'probation', ssrcChanged };
        }
        this.initSeq(seq);
        this.state = SourceState.Valid;
        return this.accept(packet, this.cycles + seq, false, arrivalMs, ssrcChanged);
      }
      this.probation = Math.max(1, this.minSequential) - 1;
      this.maxSeq = seq;
      this.counters.probationDrops++;
      return { accepted: false, reason: 'probation', ssrcChanged };
    }

    const udelta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD; // wrapped
      this.maxSeq = seq;
      const ext = this.cycles + seq;
      if (udelta === 0 || this.seen[ext % SEEN_WINDOW] === ext) return this.duplicate(ssrcChanged);
      return this.accept(packet, ext, false, arrivalMs, ssrcChanged);
    }
    if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: restart only if the sender keeps going from there (it probably restarted).
      if (seq === this.badSeq) {
        this.initSeq(seq);
        return this.accept(packet, this.cycles + seq, false, arrivalMs, ssrcChanged);
      }
      this.badSeq = (seq + 1) & 0xffff;
      this.counters.badSeq++;
      return { accepted: false, reason: 'bad-seq', ssrcChanged };
    }
    // Reordered or duplicated: it belongs before maxSeq, possibly in the previous cycle.
    const ext = this.cycles + seq - (seq > this.maxSeq ? RTP_SEQ_MOD : 0);
    // Older than the first packet of the stream: jitter buffer has long played past it.
    if (ext < this.baseSeq) return { accepted: false, reason: 'too-old', ssrcChanged };
    if (this.seen[ext % SEEN_WINDOW] === ext) return this.duplicate(ssrcChanged);
    this.counters.reordered++;
    return this.accept(packet, ext, true, arrivalMs, ssrcChanged);
  }

  /** Current figures; cheap enough to call on every stats pull. */
  stats(): RtpReceiverStats {
    const expected = this.expected();
    return {
      state: this.state,
      ssrc: this.ssrc,
      ...this.counters,
      received: this.received,
      expected,
      lost: Math.max(0, expected - this.received),
      jitterMs: (this.jitter / this.opts.clockRate) * 1000,
    };
  }

  /** Figures for the next RTCP report block; advances the A.3 interval counters. */
  takeReceptionReport(): ReceptionReport | null {
    if (this.ssrc === null || this.state !== SourceState.Valid) return null;
    const expected = this.expected();
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, expected - this.received)),
      extendedHighestSeq: (this.cycles + this.maxSeq) >>> 0,
      jitter: Math.floor(this.jitter),
    };
  }

  private expected(): number {
    return this.state === SourceState.Valid ? this.cycles + this.maxSeq - this.baseSeq + 1 : 0;
  }

  private duplicate(ssrcChanged: boolean): ReceiveVerdict {
    this.counters.duplicates++;
    return { accepted: false, reason: 'duplicate', ssrcChanged };
  }

  private accept(packet: RtpPacket, ext: number, reordered: boolean, arrivalMs: number, ssrcChanged: boolean): ReceiveVerdict {
    this.seen[ext % SEEN_WINDOW] = ext;
    this.received++;
    const comfortNoise = packet.payloadType === PT_COMFORT_NOISE;
    if (comfortNoise) this.counters.comfortNoise++;
    this.updateJitter(packet.timestamp, arrivalMs);
    return { accepted: true, extendedSeq: ext, reordered, comfortNoise, ssrcChanged };
  }

  /** A.8: J += (|D(i-1,i)| - J) / 16, all in RTP timestamp units. */
  private updateJitter(timestamp: number, arrivalMs: number): void {
    const arrival = Math.round((arrivalMs * this.opts.clockRate) / 1000);
    const transit = (arrival - timestamp) | 0;
    if (this.transit !== null) {
      const d = Math.abs((transit - this.transit) | 0);
      this.jitter += (d - this.jitter) / 16;
    }
    this.transit = transit;
  }

  private resetSource(ssrc: number, seq: number): void {
    this.ssrc = ssrc;
    this.received = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.transit = null;
    this.jitter = 0;
    this.seen.fill(-1);
    this.badSeq = RTP_SEQ_MOD + 1;
    this.state = SourceState.Probation;
    // A.1 sets max_seq one behind so the first packet counts as "in order" towards probation.
    this.maxSeq = (seq - 1) & 0xffff;
    this.probation = Math.max(1, this.minSequential);
  }

  /** A.1 init_seq. */
  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
    this.seen.fill(-1);
  }
}
