/**
 * The one pacing clock for 20 ms audio: the media worker's heartbeat, the simulated WhatsApp's senders
 * and the voice prompts all tick on it.
 *
 * Ticks sit on a fixed grid (first tick + n * period), and each timeout is computed from the grid rather
 * than from the previous callback, so timer lateness never accumulates into drift: over an hour the clock
 * emits exactly 180,000 ticks. After a stall the missed ticks run back to back, up to `maxCatchUp` of them
 * late (so jitter buffers and RTP timestamps stay in step with real time); beyond that the grid is moved
 * to now and the slip is counted, since a burst of seconds of audio would be worse than a gap. What runs
 * after such a slip is the `onStall` policy: `replay` the last `maxCatchUp` periods (the media plane: its
 * receivers keep their timeline) or `skip` them and tick once (a sender dropping stale audio, as a phone
 * does).
 *
 * It lives in native-audio, the floor below both the station and the virtual phones, rather than in the
 * station's media/: the simulator is its own deployable and must not reach into the station core, and the
 * clock needs nothing but a TimeSource (time-source.ts), so tests drive it with a ManualTimeSource.
 */
import { realTime, type TimeSource, type TimerHandle } from './time-source';

/** Called with the tick's grid time (on the clock's time source), not the moment it actually ran. */
export type TickListener = (atMs: number) => void;

export interface PacingClockOptions {
  periodMs?: number;
  /** Ticks that may run late after a stall before the grid is moved; default 5, Infinity for never. */
  maxCatchUp?: number;
  /** After a longer stall: replay the last `maxCatchUp` periods (default) or skip to one tick now. */
  onStall?: 'replay' | 'skip';
  time?: TimeSource;
}

export interface PacingClockStats {
  ticks: number;
  /** Ticks that ran more than 5 ms after their grid time. */
  lateTicks: number;
  /** Times the grid had to be moved after a stall longer than the catch-up allows. */
  slips: number;
  listeners: number;
}

const LATE_MS = 5;

export class PacingClock {
  private listeners = new Set<TickListener>();
  private timer: TimerHandle | null = null;
  /** Bumped by every start and stop, so a tick loop notices a listener stopping (or restarting) the clock. */
  private run = 0;
  private nextAt = 0;
  private counters = { ticks: 0, lateTicks: 0, slips: 0 };
  readonly periodMs: number;
  private readonly maxCatchUp: number;
  private readonly onStall: 'replay' | 'skip';
  private readonly time: TimeSource;

  constructor(opts: PacingClockOptions = {}) {
    this.periodMs = opts.periodMs ?? 20;
    this.maxCatchUp = opts.maxCatchUp ?? 5;
    this.onStall = opts.onStall ?? 'replay';
    this.time = opts.time ?? realTime;
  }

  /** The time source's now: what arrivals should be stamped with to compare with the ticks' grid times. */
  now(): number {
    return this.time.now();
  }

  /**
   * Subscribes; the clock runs while anyone listens, its grid starting one period after the first
   * subscriber. Returns the unsubscribe function.
   */
  add(listener: TickListener): () => void {
    this.listeners.add(listener);
    if (this.timer === null) {
      this.run++;
      this.nextAt = this.time.now() + this.periodMs;
      this.schedule();
    }
    return () => {
      this.listeners.delete(listener);
      if (!this.listeners.size) this.stop();
    };
  }

  get running(): boolean {
    return this.timer !== null;
  }

  stats(): PacingClockStats {
    return { ...this.counters, listeners: this.listeners.size };
  }

  stop(): void {
    if (this.timer !== null) this.time.clearTimer(this.timer);
    this.timer = null;
    this.run++;
  }

  private schedule(): void {
    this.timer = this.time.setTimer(() => this.fire(), this.nextAt - this.time.now());
  }

  private fire(): void {
    const run = this.run;
    let now = this.time.now();
    if (now - this.nextAt > this.maxCatchUp * this.periodMs) {
      this.counters.slips++;
      this.nextAt = this.onStall === 'replay' ? now - this.periodMs * this.maxCatchUp : now;
    }
    while (this.nextAt <= now && run === this.run) {
      if (now - this.nextAt > LATE_MS) this.counters.lateTicks++;
      this.counters.ticks++;
      const at = this.nextAt;
      this.nextAt += this.periodMs;
      for (const listener of [...this.listeners]) listener(at);
      now = this.time.now();
    }
    // Stopped from inside a tick, or stopped and restarted (which set its own timer).
    if (run === this.run) this.schedule();
  }
}
