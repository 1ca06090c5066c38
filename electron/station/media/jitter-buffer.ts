/**
 * An adaptive playout buffer for one RTP stream, driven by the 20 ms media clock.
 *
 * Packets go in as they arrive (`push`); one frame comes out per tick (`pop`): the audio due now, a
 * `missing` marker the decoder conceals (PLC), `silence` while the sender is in comfort noise / DTX, or
 * `idle` before the first packet has been buffered. The buffer keys frames by RTP timestamp, so it is
 * codec-agnostic; `frameTicks` is the timestamp step of one frame (160 for PCMU/PCMA and for G.722,
 * whose RTP clock is 8000 Hz although it carries 16 kHz audio, RFC 3551 §4.5.2).
 *
 * Adaptation: the target delay starts at `minDelayFrames` (20 ms by default; 0 plays a packet at the
 * first tick after it arrives). A packet that arrives after its playout time is discarded as late and
 * grows the target by one frame, paid for at once by playing one extra concealment frame. After
 * `shrinkWindowFrames` ticks with no late packet the target shrinks by one frame; so the buffer grows fast
 * and shrinks slowly. Independently, every `drainWindowFrames` ticks, frames that stayed queued beyond
 * the target for the whole window (a burst at call start, a sender that caught up after a stall) are
 * dropped at once: a frame that never left the queue in a second of playout is pure delay.
 *
 * Buffer states:
 *
 *   empty --push--> buffering --target ticks--> playing --timestamp jump / reset()--> empty
 */

export type PlayoutFrame =
  | { kind: 'audio'; timestamp: number; payloadType: number; payload: Uint8Array }
  | { kind: 'missing'; timestamp: number }
  | { kind: 'silence'; timestamp: number }
  | { kind: 'idle' };

export interface JitterEntry {
  timestamp: number;
  payloadType: number;
  payload: Uint8Array;
  /** RFC 3389 comfort noise: play silence from here until audio resumes. */
  comfortNoise?: boolean;
  /** When the packet arrived (on the media clock), for the phase guard; absent = long enough ago. */
  arrivalMs?: number;
}

export type PushResult = 'queued' | 'late' | 'duplicate' | 'overrun' | 'resync';

export enum JitterBufferState {
  Empty = 'empty',
  Buffering = 'buffering',
  Playing = 'playing',
}

export interface JitterBufferOptions {
  /** RTP timestamp units per 20 ms frame. */
  frameTicks: number;
  minDelayFrames?: number;
  maxDelayFrames?: number;
  /** Frames held at most; more is an overrun and the oldest is dropped. */
  capacityFrames?: number;
  /** Ticks without a late packet before the target delay shrinks by one frame. */
  shrinkWindowFrames?: number;
  /** Ticks over which a queue that never drained below the target is cut back to it. */
  drainWindowFrames?: number;
  /**
   * Phase guard: a packet plays at a tick only if it arrived at least this long before it. With no
   * minimum delay, packets that arrive just before the ticks would otherwise turn late at the first
   * scheduling hiccup; the guard starts playout one tick later for them instead (latency guardMs..20+guardMs).
   */
  guardMs?: number;
}

export interface JitterBufferStats {
  state: JitterBufferState;
  targetDelayMs: number;
  depthFrames: number;
  played: number;
  /** Missing frames handed to PLC (loss, or a late packet's slot). */
  concealed: number;
  silence: number;
  late: number;
  duplicates: number;
  /** Frames dropped to shrink the delay. */
  discarded: number;
  overruns: number;
  /** Ticks with nothing buffered at all while playing (the sender stalled or the network stopped). */
  underruns: number;
  resyncs: number;
}

const FRAME_MS = 20;

/** Signed distance a - b between two 32-bit RTP timestamps. */
function tsDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export class JitterBuffer {
  private queue: JitterEntry[] = [];
  private state = JitterBufferState.Empty;
  private nextTs = 0;
  private bufferedTicks = 0;
  private targetFrames: number;
  private pendingStretch = 0;
  private inSilence = false;
  private window = { ticks: 0, late: 0 };
  private drain = { ticks: 0, minDepth: Infinity };
  private counters = { played: 0, concealed: 0, silence: 0, late: 0, duplicates: 0, discarded: 0, overruns: 0, underruns: 0, resyncs: 0 };
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly capacity: number;
  private readonly shrinkWindow: number;
  private readonly drainWindow: number;
  private readonly guardMs: number;
  private readonly half: number;

  constructor(private readonly opts: JitterBufferOptions) {
    this.minDelay = opts.minDelayFrames ?? 1;
    this.maxDelay = opts.maxDelayFrames ?? 10;
    this.capacity = opts.capacityFrames ?? 50;
    this.shrinkWindow = opts.shrinkWindowFrames ?? 250;
    this.drainWindow = opts.drainWindowFrames ?? 50;
    this.guardMs = opts.guardMs ?? 0;
    this.targetFrames = this.minDelay;
    this.half = opts.frameTicks / 2;
  }

  push(entry: JitterEntry): PushResult {
    let result: PushResult = 'queued';
    if (this.state === JitterBufferState.Playing) {
      const diff = tsDiff(entry.timestamp, this.nextTs);
      if (diff < -this.half) {
        this.counters.late++;
        this.window.late++;
        if (this.targetFrames < this.maxDelay) {
          this.targetFrames++;
          this.pendingStretch++;
        }
        return 'late';
      }
      if (diff > this.capacity * this.opts.frameTicks) {
        // The sender's clock jumped (restart, long DTX with a new base): start over from this packet.
        this.reset();
        this.counters.resyncs++;
        result = 'resync';
      }
    }
    let i = this.queue.length;
    while (i > 0 && tsDiff(this.queue[i - 1]!.timestamp, entry.timestamp) > 0) i--;
    if (i > 0 && Math.abs(tsDiff(this.queue[i - 1]!.timestamp, entry.timestamp)) < this.half) {
      this.counters.duplicates++;
      return 'duplicate';
    }
    this.queue.splice(i, 0, entry);
    if (this.state === JitterBufferState.Empty) this.state = JitterBufferState.Buffering;
    if (this.queue.length > this.capacity) {
      const dropped = this.queue.shift()!;
      this.nextTs = dropped.timestamp + this.opts.frameTicks;
      this.counters.overruns++;
      return 'overrun';
    }
    return result;
  }

  /** The frame for this 20 ms tick. */
  /** The frame for this 20 ms tick; `nowMs` is the tick's time on the clock grid (for the phase guard). */
  pop(nowMs?: number): PlayoutFrame {
    if (this.state === JitterBufferState.Empty) return { kind: 'idle' };
    if (this.state === JitterBufferState.Buffering) {
      if (++this.bufferedTicks <= this.targetFrames) return { kind: 'idle' };
      if (!this.settled(this.queue[0]!, nowMs)) return { kind: 'idle' };
      this.state = JitterBufferState.Playing;
      this.nextTs = this.queue[0]!.timestamp;
    }
    const frame = this.next();
    this.adapt(nowMs);
    return frame;
  }

  reset(): void {
    this.queue = [];
    this.state = JitterBufferState.Empty;
    this.bufferedTicks = 0;
    this.pendingStretch = 0;
    this.inSilence = false;
    this.drain = { ticks: 0, minDepth: Infinity };
  }

  stats(): JitterBufferStats {
    return { state: this.state, targetDelayMs: this.targetFrames * FRAME_MS, depthFrames: this.queue.length, ...this.counters };
  }

  describe(): string {
    return `jitter buffer ${this.state}, target ${this.targetFrames * FRAME_MS} ms (${this.minDelay * FRAME_MS}-${this.maxDelay * FRAME_MS}), depth ${this.queue.length}/${this.capacity} frames`;
  }

  private next(): PlayoutFrame {
    const timestamp = this.nextTs;
    if (this.pendingStretch > 0) {
      // Growing the delay: play one frame more without advancing the playout point.
      this.pendingStretch--;
      return this.gap(timestamp);
    }
    while (this.queue.length && tsDiff(this.queue[0]!.timestamp, timestamp) < -this.half) {
      this.queue.shift();
      this.counters.late++;
    }
    const head = this.queue[0];
    if (head && Math.abs(tsDiff(head.timestamp, timestamp)) < this.half) {
      this.queue.shift();
      // Follow the sender's timestamp grid if it is offset from ours by less than half a frame.
      this.nextTs = (head.timestamp + this.opts.frameTicks) >>> 0;
      if (head.comfortNoise) {
        this.inSilence = true;
        this.counters.silence++;
        return { kind: 'silence', timestamp };
      }
      this.inSilence = false;
      this.counters.played++;
      return { kind: 'audio', timestamp: head.timestamp, payloadType: head.payloadType, payload: head.payload };
    }
    this.nextTs = (timestamp + this.opts.frameTicks) >>> 0;
    if (!head && !this.inSilence) this.counters.underruns++;
    return this.gap(timestamp);
  }

  private gap(timestamp: number): PlayoutFrame {
    if (this.inSilence) {
      this.counters.silence++;
      return { kind: 'silence', timestamp };
    }
    this.counters.concealed++;
    return { kind: 'missing', timestamp };
  }

  /** True when the entry arrived at least the guard before the tick (or the guard is off). */
  private settled(entry: JitterEntry, nowMs: number | undefined): boolean {
    return !this.guardMs || nowMs === undefined || entry.arrivalMs === undefined || nowMs - entry.arrivalMs >= this.guardMs;
  }

  private adapt(nowMs: number | undefined): void {
    const d = this.drain;
    // Only frames past the guard count: one that just arrived for the next tick is not excess delay.
    let depth = this.queue.length;
    while (depth > 0 && !this.settled(this.queue[depth - 1]!, nowMs)) depth--;
    d.minDepth = Math.min(d.minDepth, depth);
    if (++d.ticks >= this.drainWindow) {
      // Frames that were queued beyond the target at every tick of the window: cut them at once.
      for (let excess = d.minDepth - this.targetFrames; excess > 0 && this.queue.length > 0; excess--) {
        const dropped = this.queue.shift()!;
        this.nextTs = (dropped.timestamp + this.opts.frameTicks) >>> 0;
        this.counters.discarded++;
      }
      this.drain = { ticks: 0, minDepth: Infinity };
    }
    const w = this.window;
    if (++w.ticks < this.shrinkWindow) return;
    if (w.late === 0 && this.targetFrames > this.minDelay) this.targetFrames--;
    this.window = { ticks: 0, late: 0 };
  }
}
