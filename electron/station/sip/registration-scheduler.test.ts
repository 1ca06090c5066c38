import { describe, expect, it } from 'vitest';
import { RegistrationScheduler } from './registration-scheduler';

describe('RegistrationScheduler', () => {
  it('spreads 64 attempts over about 64 gaps after a short burst', async () => {
    const s = new RegistrationScheduler({ gapMs: 10, burst: 4 });
    const t0 = performance.now();
    const times: number[] = [];
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 64; i++) s.schedule(() => {
        times.push(performance.now() - t0);
        if (times.length === 64) resolve();
      });
    });
    expect(times.slice(0, 4).every((t) => t < 5)).toBe(true);
    expect(times[63]!).toBeGreaterThan(55 * 10);
    for (let i = 5; i < 64; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(8);
  });

  it('runs immediately with pacing off, and a withdrawn attempt never runs', async () => {
    const off = new RegistrationScheduler({ gapMs: 0 });
    let ran = 0;
    for (let i = 0; i < 10; i++) off.schedule(() => ran++);
    expect(ran).toBe(10);
    const s = new RegistrationScheduler({ gapMs: 20, burst: 1 });
    const order: number[] = [];
    s.schedule(() => order.push(1));
    const cancel = s.schedule(() => order.push(2));
    s.schedule(() => order.push(3));
    cancel();
    await new Promise((r) => setTimeout(r, 80));
    expect(order).toEqual([1, 3]);
  });
});
