import { describe, expect, it } from 'vitest';
import { PacingClock } from './pacing-clock';
import { ManualTimeSource } from './time-source';

function setup(opts: ConstructorParameters<typeof PacingClock>[0] = {}) {
  const time = new ManualTimeSource(1000);
  const clock = new PacingClock({ ...opts, time });
  const ticks: number[] = [];
  const off = clock.add((at) => ticks.push(at - 1000));
  return { time, clock, ticks, off };
}

describe('PacingClock', () => {
  it('ticks every period on a grid that starts one period after the first listener', () => {
    const { time, ticks } = setup();
    time.advance(19);
    expect(ticks).toEqual([]);
    time.advance(1);
    expect(ticks).toEqual([20]);
    time.advance(80);
    expect(ticks).toEqual([20, 40, 60, 80, 100]);
  });

  it('does not drift: an hour of ticks is exactly 180,000 ticks, whatever each timer lateness', () => {
    const { time, clock, ticks } = setup();
    // Every timer runs 0-4 ms late (a busy event loop); the next one is still due on the grid.
    for (let i = 1; i <= 180_000; i++) {
      time.stall(1000 + i * 20 + (i % 5) - time.now());
      time.advance(0);
    }
    expect(ticks.length).toBe(180_000);
    expect(ticks.at(-1)).toBe(3_600_000);
    expect(ticks.every((t, i) => t === (i + 1) * 20)).toBe(true);
    expect(clock.stats()).toMatchObject({ ticks: 180_000, lateTicks: 0, slips: 0 });
  });

  it('runs the missed ticks back to back after a short stall, with their grid times', () => {
    const { time, clock, ticks } = setup({ maxCatchUp: 5 });
    time.stall(70);
    time.advance(0);
    expect(ticks).toEqual([20, 40, 60]);
    expect(clock.stats()).toMatchObject({ ticks: 3, lateTicks: 3, slips: 0 });
    time.advance(10);
    expect(ticks.at(-1)).toBe(80);
  });

  it('replays only the last maxCatchUp periods after a long stall, and moves the grid to now', () => {
    const { time, clock, ticks } = setup({ maxCatchUp: 5 });
    time.advance(60);
    time.stall(940); // at 1000: 47 ticks overdue
    time.advance(0);
    expect(ticks).toEqual([20, 40, 60, 900, 920, 940, 960, 980, 1000]);
    expect(clock.stats().slips).toBe(1);
    time.advance(20);
    expect(ticks.at(-1)).toBe(1020);
  });

  it("with onStall 'skip' drops a long stall's ticks and ticks once, the next one a period later", () => {
    const { time, clock, ticks } = setup({ maxCatchUp: 10, onStall: 'skip' });
    time.advance(20);
    time.stall(500);
    time.advance(0);
    expect(ticks).toEqual([20, 520]);
    expect(clock.stats().slips).toBe(1);
    time.advance(20);
    expect(ticks).toEqual([20, 520, 540]);
  });

  it('never skips with maxCatchUp Infinity: every tick of a long stall runs', () => {
    const { time, ticks } = setup({ maxCatchUp: Infinity });
    time.stall(1000);
    time.advance(0);
    expect(ticks.length).toBe(50);
  });

  it('stops when the last listener leaves, and starts a fresh grid for the next one', () => {
    const { time, clock, ticks, off } = setup();
    time.advance(40);
    off();
    expect(clock.running).toBe(false);
    expect(time.pending).toBe(0);
    time.advance(100);
    expect(ticks).toEqual([20, 40]);
    const later: number[] = [];
    clock.add((at) => later.push(at - 1000));
    time.advance(20);
    expect(later).toEqual([160]);
  });

  it('stops in the middle of a catch-up when a listener stops it', () => {
    const time = new ManualTimeSource();
    const clock = new PacingClock({ time });
    const ticks: number[] = [];
    clock.add((at) => {
      ticks.push(at);
      if (ticks.length === 2) clock.stop();
    });
    time.stall(100);
    time.advance(0);
    expect(ticks).toEqual([20, 40]);
    expect(time.pending).toBe(0);
  });

  it('keeps one timer when a listener stops and restarts the clock from inside a tick', () => {
    const time = new ManualTimeSource();
    const clock = new PacingClock({ time });
    const ticks: number[] = [];
    const listener = (at: number) => {
      ticks.push(at);
      if (ticks.length === 1) {
        off();
        off = clock.add(listener);
      }
    };
    let off = clock.add(listener);
    time.advance(100);
    expect(time.pending).toBe(1);
    expect(ticks).toEqual([20, 40, 60, 80, 100]);
  });
});
