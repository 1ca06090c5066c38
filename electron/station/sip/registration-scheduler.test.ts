import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RegistrationScheduler } from './registration-scheduler';

describe('RegistrationScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a burst of 4 at once, then one attempt per gap: 64 attempts over 60 gaps', () => {
    const s = new RegistrationScheduler({ gapMs: 10, burst: 4 });
    const t0 = performance.now();
    const times: number[] = [];
    for (let i = 0; i < 64; i++) s.schedule(() => times.push(performance.now() - t0));
    expect(times).toEqual([0, 0, 0, 0]);
    expect(s.pending).toBe(60);
    vi.advanceTimersByTime(9);
    expect(times).toHaveLength(4);
    vi.advanceTimersByTime(1000);
    expect(times).toEqual([0, 0, 0, 0, ...Array.from({ length: 60 }, (_, k) => (k + 1) * 10)]);
    expect(s.pending).toBe(0);
  });

  it('runs immediately with pacing off, and a withdrawn attempt never runs nor holds up the next', () => {
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
    expect(order).toEqual([1]);
    vi.advanceTimersByTime(19);
    expect(order).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(order).toEqual([1, 3]);
    vi.advanceTimersByTime(1000);
    expect(order).toEqual([1, 3]);
  });
});
