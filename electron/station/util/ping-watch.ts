/**
 * When a peer that is pinged on an interval has stopped answering: silent for the timeout AND deaf to
 * every ping sent in that time (timeout / interval of them).
 *
 * Time alone would blame the peer for the station's own stall: when this process is held up (a starved
 * PC, a long collection), the interval timer fires late and runs before the socket is read, so the pong
 * that came meanwhile still sits unread. Counting the pings that went unanswered does not: a late tick
 * has sent only one ping since, and its answer is read right after.
 */
export class PingWatch {
  private lastAnswer: number;
  private unanswered = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastAnswer = now();
  }

  /** A ping is on its way. */
  sent(): void {
    this.unanswered++;
  }

  /** The peer answered: its silence starts again from now. */
  answered(): void {
    this.lastAnswer = this.now();
    this.unanswered = 0;
  }

  /** True when the peer is to be given up: checked on each tick, before the tick's ping is sent. */
  get silent(): boolean {
    return this.now() - this.lastAnswer > this.timeoutMs && this.unanswered >= Math.ceil(this.timeoutMs / this.intervalMs);
  }
}
