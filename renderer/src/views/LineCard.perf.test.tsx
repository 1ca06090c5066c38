// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineView } from '../../../electron/station/api/types';
import { StationProvider } from '../store/station-context';
import { createStationStore } from '../store/station-store';
import { FakeStation, makeLine } from '../test-support/fake-station';
import { LineCard } from './LineCard';
import { LineGrid } from './LineGrid';

afterEach(cleanup);

const wire = (lines: LineView[]): LineView[] => JSON.parse(JSON.stringify(lines)) as LineView[];

describe('rendering cost of the grid', () => {
  it('re-renders only the card whose line changed', () => {
    const store = createStationStore();
    store.getState().applyLines([makeLine('wa1'), makeLine('wa2')]);
    const renders: Record<string, number> = { wa1: 0, wa2: 0 };
    render(
      <StationProvider store={store} client={new FakeStation()}>
        {['wa1', 'wa2'].map((id) => (
          <Profiler key={id} id={id} onRender={() => renders[id]!++}>
            <LineCard lineId={id} />
          </Profiler>
        ))}
      </StationProvider>,
    );
    const base = { ...renders };
    const next = wire([makeLine('wa1'), makeLine('wa2')]);
    next[1]!.agent!.batteryLevel = 50;
    act(() => store.getState().applyLines(next));
    expect(renders.wa1).toBe(base.wa1);
    expect(renders.wa2).toBe(base.wa2! + 1);
    expect(screen.getAllByTestId('line-card')[1]!.textContent).toContain('battery 50%');
  });

  it('takes 64 lines at 10 snapshots a second with time to spare', () => {
    const store = createStationStore();
    const lines = Array.from({ length: 64 }, (_, i) => makeLine(`wa${i + 1}`));
    store.getState().applyLines(wire(lines));
    // React's own measure of the grid's render work: the mount renders 64 cards, an update should
    // render about one. A ratio holds on a slow or busy machine where wall-clock figures do not.
    const work: number[] = [];
    render(
      <StationProvider store={store} client={new FakeStation()}>
        <Profiler id="grid" onRender={(_id, _phase, actualMs) => void work.push(actualMs)}>
          <LineGrid />
        </Profiler>
      </StationProvider>,
    );
    const mountMs = work[work.length - 1]!;
    expect(screen.getAllByTestId('line-card')).toHaveLength(64);
    // 50 snapshots (5 s of station time), each with every line afresh from the wire and one changed.
    const started = performance.now();
    for (let n = 0; n < 50; n++) {
      const snap = wire(lines);
      snap[n % 64]!.agent!.batteryLevel = n;
      act(() => store.getState().applyLines(snap));
    }
    const perSnapshotMs = (performance.now() - started) / 50;
    const updates = work.slice(-50);
    const updateMs = updates.reduce((a, b) => a + b, 0) / updates.length;
    console.log(`64 lines: mount ${mountMs.toFixed(1)} ms, update ${updateMs.toFixed(2)} ms render, ${perSnapshotMs.toFixed(2)} ms per snapshot in all (budget 100 ms)`);
    expect(updateMs).toBeLessThan(mountMs / 8);
    // jsdom and React's development build are several times slower than the app; half the budget.
    expect(perSnapshotMs).toBeLessThan(50);
  });
});
