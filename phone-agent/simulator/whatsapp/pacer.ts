/**
 * A drift-corrected periodic timer for paced audio. Each tick is scheduled from the start time
 * (`start + n * interval`), not from the previous tick, so timer lateness never accumulates into a slower
 * sample rate. After a stall the missed ticks run back to back (a receiver's jitter buffer absorbs them);
 * a stall longer than `maxCatchUpTicks` is skipped instead, as a real sender would drop stale audio.
 */
import { performance } from 'node:perf_hooks';

export interface PacerOptions {
  intervalMs: number;
  maxCatchUpTicks?: number;
}

export class Pacer {
  private startedAt = 0;
  private ticks = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;
  private readonly maxCatchUp: number;

  constructor(
    opts: PacerOptions,
    /** Called once per interval with the tick number, from 1. */
    private readonly onTick: (tick: number) => void,
  ) {
    this.intervalMs = opts.intervalMs;
    this.maxCatchUp = opts.maxCatchUpTicks ?? 10;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.startedAt = performance.now();
    this.ticks = 0;
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const due = this.startedAt + (this.ticks + 1) * this.intervalMs;
    this.timer = setTimeout(() => this.run(), Math.max(0, due - performance.now()));
  }

  private run(): void {
    const now = performance.now();
    let behind = Math.floor((now - this.startedAt) / this.intervalMs) - this.ticks;
    if (behind > this.maxCatchUp) {
      // Too far behind to catch up meaningfully: rebase so the next tick is one interval from now.
      this.startedAt = now - this.intervalMs * (this.ticks + 1);
      behind = 1;
    }
    for (let i = 0; i < Math.max(behind, 1); i++) {
      this.ticks += 1;
      this.onTick(this.ticks);
      if (!this.timer) return; // stopped from inside the tick
    }
    this.schedule();
  }
}
