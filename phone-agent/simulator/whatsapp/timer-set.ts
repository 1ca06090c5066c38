/**
 * Timers owned by one thing (a call, a scenario run) so they can all be cleared at once when it ends;
 * a simulator that forgets a timer keeps a test process alive or fires into a finished call. They run on
 * the network's time source: real time, or a ManualTimeSource that a test advances.
 */
import { realTime, type TimeSource, type TimerHandle } from '../../../native-audio/time-source';

export class TimerSet {
  private readonly timers = new Set<TimerHandle>();

  constructor(private readonly time: TimeSource = realTime) {}

  after(ms: number, fn: () => void): void {
    const timer = this.time.setTimer(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) this.time.clearTimer(timer);
    this.timers.clear();
  }

  get size(): number {
    return this.timers.size;
  }
}
