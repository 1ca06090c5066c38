/**
 * Paces REGISTER attempts of many lines so a station with 64 phones does not send 64 REGISTERs (and
 * then 64 authenticated ones) in the same millisecond at start, or after a PBX restart when every line
 * retries at once. Attempts run in arrival order, at most one per `gapMs` after the first `burst`.
 * With the defaults 64 lines start over about 3 s.
 */

export interface RegistrationSchedulerOptions {
  /** Minimum time between two attempts, ms (default 50). 0 turns pacing off. */
  gapMs?: number;
  /** Attempts allowed back to back before pacing starts (default 4). */
  burst?: number;
}

export class RegistrationScheduler {
  private readonly gapMs: number;
  private readonly burst: number;
  private readonly queue: Array<() => void> = [];
  private tokens: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RegistrationSchedulerOptions = {}) {
    this.gapMs = options.gapMs ?? 50;
    this.burst = Math.max(1, options.burst ?? 4);
    this.tokens = this.burst;
  }

  /** Runs `task` when its turn comes; the returned function withdraws it if it has not run yet. */
  schedule(task: () => void): () => void {
    if (this.gapMs <= 0) {
      task();
      return () => undefined;
    }
    let cancelled = false;
    const entry = (): void => {
      if (!cancelled) task();
    };
    this.queue.push(entry);
    this.pump();
    return () => {
      cancelled = true;
      const i = this.queue.indexOf(entry);
      if (i >= 0) this.queue.splice(i, 1);
    };
  }

  get pending(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.tokens > 0 && this.queue.length > 0) {
      this.tokens--;
      this.queue.shift()!();
    }
    if (this.timer || (this.queue.length === 0 && this.tokens >= this.burst)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tokens = Math.min(this.burst, this.tokens + 1);
      this.pump();
    }, this.gapMs);
    this.timer.unref();
  }
}

/** The scheduler shared by every line of the station unless a caller passes its own. */
export const defaultRegistrationScheduler = new RegistrationScheduler();
