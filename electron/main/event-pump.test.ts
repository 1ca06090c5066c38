/**
 * The grid reaches the console at most 10 times a second however fast the lines change, and the last
 * snapshot sent is always the latest state. (A tiny source stands in for the station: the behaviour
 * under test is only the pacing, which needs a clock the test controls.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StationEvent } from '../station/api/contract';
import type { LineView } from '../station/api/types';
import { EventPump, QUEUE_LIMIT } from './event-pump';

function source() {
  let version = 0;
  const listeners = new Set<() => void>();
  const eventListeners = new Set<(e: StationEvent) => void>();
  return {
    lines: () => [{ id: `v${version}` } as LineView],
    onChange: (l: () => void) => (listeners.add(l), () => listeners.delete(l)),
    onEvent: (l: (e: StationEvent) => void) => (eventListeners.add(l), () => eventListeners.delete(l)),
    change() {
      version++;
      for (const l of listeners) l();
    },
    emit: (e: StationEvent) => eventListeners.forEach((l) => l(e)),
    get version() {
      return version;
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('event pump', () => {
  it('sends at most 10 grid snapshots a second, the last one current', () => {
    const src = source();
    const sent: StationEvent[] = [];
    const pump = new EventPump(src, (e) => sent.push(e));
    pump.markReady();
    sent.length = 0;
    // 200 changes in one second (every 5 ms).
    for (let t = 0; t < 1000; t += 5) {
      src.change();
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(200);
    expect(sent.length).toBeGreaterThanOrEqual(9);
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.at(-1)).toEqual({ event: 'lines', data: [{ id: `v${src.version}` }] });
    pump.stop();
  });

  it('queues other events until ready, bounded, and drops nothing once ready', () => {
    const src = source();
    const sent: StationEvent[] = [];
    const pump = new EventPump(src, (e) => sent.push(e));
    for (let i = 0; i < QUEUE_LIMIT + 20; i++) src.emit({ event: 'testDial', data: null });
    src.change();
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([]);
    pump.markReady();
    expect(sent[0]).toEqual({ event: 'lines', data: [{ id: 'v1' }] });
    expect(sent).toHaveLength(1 + QUEUE_LIMIT);
    src.emit({ event: 'testDial', data: null });
    expect(sent).toHaveLength(2 + QUEUE_LIMIT);
    pump.stop();
    src.change();
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(2 + QUEUE_LIMIT);
  });
});
