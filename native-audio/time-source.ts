/**
 * Where paced code reads the time and sets its timers: the real clock in the product, a manual one in
 * tests. A test that advances a ManualTimeSource by 200 ms sees exactly the ticks due in those 200 ms,
 * on any machine, without waiting for them.
 *
 * No Node imports: `performance` and `setTimeout` are globals in Node, workers and browsers alike.
 */

export type TimerHandle = unknown;

export interface TimeSource {
  /** Milliseconds on a monotonic clock (performance.now() for the real one). */
  now(): number;
  /** Calls `fn` once, `ms` from now (0 or less: as soon as possible). */
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const realTime: TimeSource = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface ManualTimer {
  id: number;
  dueAt: number;
  fn: () => void;
}

/**
 * Time that moves only when told to. `advance` runs every timer that falls due on the way, each with the
 * clock set to its due time (earliest first; equal times in the order they were set), including timers
 * those callbacks set, so code under test sees the same sequence of instants as with real time.
 */
export class ManualTimeSource implements TimeSource {
  private current: number;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, dueAt: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Timers set and not yet run or cleared. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves the clock `ms` forward, running what falls due on the way. */
  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const next = this.earliestDue(until);
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.dueAt);
      next.fn();
    }
    this.current = until;
  }

  /**
   * Jumps the clock without running anything, as a stalled event loop would: the timers that fell due
   * run late, at the next `advance`.
   */
  stall(ms: number): void {
    this.current += ms;
  }

  private earliestDue(until: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) if (t.dueAt <= until && (!best || t.dueAt < best.dueAt)) best = t;
    return best;
  }
}
