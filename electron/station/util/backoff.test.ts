import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('the retry schedule', () => {
  it('doubles from the first delay up to the ceiling', () => {
    const middle = () => 0.5; // jitter centred: the bare schedule
    expect(Array.from({ length: 9 }, (_, n) => backoffDelay(n, 5_000, 600_000, 0.2, middle))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000,
    ]);
    expect(backoffDelay(5_000, 5_000, 600_000, 0.2, middle)).toBe(600_000);
  });

  it('spreads each delay by the jitter, so senders that failed together do not retry together', () => {
    expect(backoffDelay(2, 5_000, 600_000, 0.2, () => 0)).toBe(18_000);
    expect(backoffDelay(2, 5_000, 600_000, 0.2, () => 0.999_999)).toBe(22_000);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(3, 1_000, 60_000)));
    expect([...seen].every((d) => d >= 7_200 && d <= 8_800)).toBe(true);
    expect(seen.size).toBeGreaterThan(10);
  });
});
