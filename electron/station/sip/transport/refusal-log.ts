/**
 * Logging of refused requests that a flood cannot turn into a flood of log lines: the first refusal
 * from a source in each window is a warning (with how many were refused since the last one), the rest
 * go to debug. Sources are forgotten when their window ends, and at most 4,096 are kept: a flood from
 * spoofed addresses costs no more memory than that.
 */
import type { Logger } from '../../util/log';

const WINDOW_MS = 60_000;
/** Past this many sources in a window (a flood from spoofed addresses) refusals go to debug only. */
const MAX_SOURCES = 4096;

export class RefusalLog {
  private readonly windows = new Map<string, { since: number; quiet: number }>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs one refusal from `source` (an address). */
  refused(source: string, line: string): void {
    const t = this.now();
    this.expire(t);
    const w = this.windows.get(source);
    if (w) {
      w.quiet++;
      this.log.debug(line);
      return;
    }
    if (this.windows.size >= MAX_SOURCES) {
      this.log.debug(line);
      return;
    }
    this.windows.set(source, { since: t, quiet: 0 });
    this.log.warn(line);
  }

  /** Sources with an open window (bounded by the addresses seen in the last minute). */
  get size(): number {
    return this.windows.size;
  }

  private expire(t: number): void {
    // Insertion order is age order: stop at the first open window.
    for (const [source, w] of this.windows) {
      if (t - w.since < WINDOW_MS) break;
      this.windows.delete(source);
      if (w.quiet > 0) this.log.warn(`${w.quiet} more requests from ${source} refused in the minute after the one logged`);
    }
  }
}
