/**
 * The 20 ms heartbeat of the media plane: one timer per worker drives every session's send and playout.
 *
 * Ticks sit on a fixed grid (start + n * period), and each timeout is computed from the grid rather than
 * from the previous callback, so timer lateness never accumulates into drift: over an hour the clock
 * emits exactly 180,000 ticks. If the event loop stalls, up to `maxCatchUp` missed ticks run at once
 * (so the jitter buffers and RTP timestamps stay in step with real time); beyond that the grid is moved
 * and the slip is counted, since a burst of seconds of audio would be worse than a gap.
 */

export type TickListener = (nowMs: number) => void;

export interface MediaClockOptions {
  periodMs?: number;
  maxCatchUp?: number;
  now?: () => number;
}

export interface MediaClockStats {
  ticks: number;
  /** Ticks that ran more than 5 ms after their grid time. */
  lateTicks: number;
  /** Times the grid had to be moved after a stall longer than the catch-up allows. */
  slips: number;
  listeners: number;
}

export class MediaClock {
  private listeners = new Set<TickListener>();
  private timer: NodeJS.Timeout | null = null;
  private nextAt = 0;
  private counters = { ticks: 0, lateTicks: 0, slips: 0 };
  readonly periodMs: number;
  private readonly maxCatchUp: number;
  private readonly now: () => number;

  constructor(opts: MediaClockOptions = {}) {
    this.periodMs = opts.periodMs ?? 20;
    this.maxCatchUp = opts.maxCatchUp ?? 5;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Subscribes; the clock runs while anyone listens. Returns the unsubscribe function. */
  add(listener: TickListener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.nextAt = this.now() + this.periodMs;
      this.schedule();
    }
    return () => {
      this.listeners.delete(listener);
      if (!this.listeners.size) this.stop();
    };
  }

  stats(): MediaClockStats {
    return { ...this.counters, listeners: this.listeners.size };
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.fire(), Math.max(0, this.nextAt - this.now()));
  }

  private fire(): void {
    let now = this.now();
    if (now - this.nextAt > this.maxCatchUp * this.periodMs) {
      this.counters.slips++;
      this.nextAt = now - this.periodMs * this.maxCatchUp;
    }
    while (this.nextAt <= now && this.timer) {
      if (now - this.nextAt > 5) this.counters.lateTicks++;
      this.counters.ticks++;
      for (const listener of [...this.listeners]) listener(this.nextAt);
      this.nextAt += this.periodMs;
      now = this.now();
    }
    if (this.timer) this.schedule();
  }
}
