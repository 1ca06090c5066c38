import { describe, expect, it } from 'vitest';
import { MediaClock } from './media-clock';

describe('MediaClock', () => {
  it('ticks on a fixed 20 ms grid without accumulating timer lateness', async () => {
    const clock = new MediaClock();
    const times: number[] = [];
    const start = performance.now();
    const off = clock.add((t) => times.push(t));
    await new Promise((r) => setTimeout(r, 1010));
    off();
    // Grid times are exact multiples of 20 ms from the first, whatever the callbacks' actual lateness.
    times.forEach((t, i) => expect(t - times[0]!).toBeCloseTo(i * 20, 6));
    expect(times.length).toBeGreaterThanOrEqual(48);
    expect(times.length).toBeLessThanOrEqual(51);
    expect(times[0]! - start).toBeCloseTo(20, 0);
  });

  it('catches up a short stall and slips the grid after a long one', async () => {
    let now = 0;
    const clock = new MediaClock({ now: () => now, maxCatchUp: 5 });
    const ticks: number[] = [];
    const off = clock.add((t) => ticks.push(t));
    now = 70; // three ticks overdue (20, 40, 60)
    await new Promise((r) => setTimeout(r, 30)); // real time for the (real) timer to fire
    expect(ticks).toEqual([20, 40, 60]);
    now = 1000; // a 930 ms stall: only five ticks are replayed, then the grid moves
    await new Promise((r) => setTimeout(r, 30)); // real time for the (real) timer to fire
    expect(ticks.length).toBe(3 + 6);
    expect(clock.stats()).toMatchObject({ slips: 1 });
    off();
    expect(clock.stats().listeners).toBe(0);
  });
});
