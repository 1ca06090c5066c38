// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineView } from '../../../electron/station/api/types';
import { StationProvider } from '../store/station-context';
import { createStationStore } from '../store/station-store';
import { FakeStation, makeLine } from '../test-support/fake-station';
import { LineCard } from './LineCard';
import { LineGrid, LINES_VIEW_KEY } from './LineGrid';

afterEach(cleanup);

const wire = (lines: LineView[]): LineView[] => JSON.parse(JSON.stringify(lines)) as LineView[];

/** Applies 20 snapshots, each changing one line's battery, and returns which `testId` elements each touched. */
function touchedPerSnapshot(container: HTMLElement, store: ReturnType<typeof createStationStore>, lines: LineView[], testId: string): string[][] {
  // What the browser has to lay out again: the elements whose DOM changed. (How long that takes is
  // measured in chromium by bench/renderer.ts, not here.)
  const observer = new MutationObserver(() => undefined);
  observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
  const out: string[][] = [];
  for (let n = 0; n < 20; n++) {
    lines[n]!.agent!.batteryLevel = n;
    act(() => store.getState().applyLines(wire(lines)));
    const touched = observer.takeRecords().map((r) => {
      const node = r.target instanceof Element ? r.target : r.target.parentElement;
      return node?.closest(`[data-testid="${testId}"]`)?.getAttribute('data-line-id') ?? '(outside)';
    });
    out.push([...new Set(touched)]);
  }
  observer.disconnect();
  return out;
}

/** The lines page with 64 registered lines, in the view localStorage names. */
function renderSixtyFour() {
  const store = createStationStore();
  const lines = Array.from({ length: 64 }, (_, i) => makeLine(`wa${i + 1}`));
  store.getState().applyLines(wire(lines));
  const { container } = render(
    <StationProvider store={store} client={new FakeStation()}>
      <LineGrid />
    </StationProvider>,
  );
  return { store, lines, container };
}

const expected = Array.from({ length: 20 }, (_, n) => [`wa${n + 1}`]);

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

  it('with 64 lines, a snapshot in which one line changed touches only that card', () => {
    const { store, lines, container } = renderSixtyFour();
    expect(screen.getAllByTestId('line-card')).toHaveLength(64);
    expect(touchedPerSnapshot(container, store, lines, 'line-card')).toEqual(expected);
  });

  it('with 64 lines in the table, a snapshot in which one line changed touches only that row', () => {
    localStorage.setItem(LINES_VIEW_KEY, 'table');
    const { store, lines, container } = renderSixtyFour();
    expect(screen.getAllByTestId('line-row')).toHaveLength(64);
    expect(touchedPerSnapshot(container, store, lines, 'line-row')).toEqual(expected);
    localStorage.clear();
  });
});
