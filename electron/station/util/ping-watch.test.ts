import { describe, expect, it } from 'vitest';
import { PingWatch } from './ping-watch';

describe('PingWatch', () => {
  /** A watch on a clock the test moves: pings every second, given up after 3 s. */
  function watch(): { w: PingWatch; at: (ms: number) => void } {
    let now = 0;
    return { w: new PingWatch(1_000, 3_000, () => now), at: (ms) => (now = ms) };
  }

  it('gives up a peer that missed every ping for longer than the timeout, not before', () => {
    const { w, at } = watch();
    for (const t of [1_000, 2_000, 3_000]) {
      at(t);
      expect(w.silent).toBe(false);
      w.sent();
    }
    at(4_000);
    expect(w.silent).toBe(true);
  });

  it('keeps a peer that answers: its silence starts again at each answer', () => {
    const { w, at } = watch();
    for (let t = 1_000; t <= 20_000; t += 1_000) {
      at(t);
      expect(w.silent).toBe(false);
      w.sent();
      at(t + 40);
      w.answered();
    }
  });

  /** One ping, then the station is held up for 5 s: its late tick finds the peer not yet given up and pings. */
  function afterStall(): { w: PingWatch; at: (ms: number) => void } {
    const { w, at } = watch();
    at(1_000);
    w.sent();
    at(6_000);
    expect(w.silent).toBe(false);
    w.sent();
    return { w, at };
  }

  it('does not blame the peer for a stall of the station: its pong, unread meanwhile, is read after the tick', () => {
    const { w, at } = afterStall();
    w.answered();
    at(7_000);
    expect(w.silent).toBe(false);
  });

  it('gives up a peer that stays silent after the stall, three pings later', () => {
    const { w, at } = afterStall();
    at(7_000);
    expect(w.silent).toBe(false);
    w.sent();
    at(8_000);
    expect(w.silent).toBe(true);
  });
});
