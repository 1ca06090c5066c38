/**
 * The delay before retry number `attempt` (0 for the first): `initialMs` doubled per attempt up to
 * `maxMs`, then spread by +-jitter/2 around it (`random` in [0, 1)), so many senders that failed
 * together do not retry together.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, jitter = 0.2, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 52));
  return Math.round(base * (1 - jitter / 2 + random() * jitter));
}

/** Exponential backoff with a ceiling and jitter, so many devices that fail together do not retry together. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly jitter = 0.2,
  ) {}

  /** The delay before the next attempt; each call doubles it up to the ceiling. */
  next(): number {
    return backoffDelay(this.attempt++, this.initialMs, this.maxMs, this.jitter);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
