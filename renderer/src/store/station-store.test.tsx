// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LineView } from '../../../electron/station/api/types';
import { connectedCall, INFO, makeLine } from '../test-support/fake-station';
import { lineProblems, worstLevel } from './line-problems';
import { matchesFilter, NO_FILTER, orderLines } from './line-order';
import { onlyLiveFiguresChanged } from './live-figures';
import { share } from './share';
import { createStationStore, LIVE_EVERY_MS } from './station-store';

const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('the station store', () => {
  it('keeps lines by id in the station order', () => {
    const store = createStationStore();
    store.getState().applyLines([makeLine('wa2'), makeLine('wa1')]);
    expect(store.getState().lineIds).toEqual(['wa2', 'wa1']);
    expect(store.getState().lines.wa1!.id).toBe('wa1');
  });

  it('gives an unchanged line (and unchanged parts of a changed line) their old identity', () => {
    const store = createStationStore();
    store.getState().applyLines([makeLine('wa1'), makeLine('wa2')]);
    const before = store.getState();
    // A fresh snapshot from the wire: equal content, new objects; wa2's battery dropped.
    const next = clone([makeLine('wa1'), makeLine('wa2')]);
    next[1]!.agent!.batteryLevel = 79;
    store.getState().applyLines(next);
    const after = store.getState();
    expect(after.lines.wa1).toBe(before.lines.wa1);
    expect(after.lines.wa2).not.toBe(before.lines.wa2);
    expect(after.lines.wa2!.agent!.batteryLevel).toBe(79);
    expect(after.lines.wa2!.device).toBe(before.lines.wa2!.device);
    expect(after.lineIds).toBe(before.lineIds);
  });

  it('does not notify subscribers for a snapshot that changes nothing', () => {
    const store = createStationStore();
    store.getState().applyLines([makeLine('wa1')]);
    let notified = 0;
    store.subscribe(() => notified++);
    store.getState().applyLines(clone([makeLine('wa1')]));
    expect(notified).toBe(0);
    store.getState().applyLines([makeLine('wa1', { registration: { state: 'failed', reason: '403 Forbidden', code: 403 } })]);
    expect(notified).toBe(1);
  });

  it('drops lines that leave the snapshot', () => {
    const store = createStationStore();
    store.getState().applyLines([makeLine('wa1'), makeLine('wa2')]);
    store.getState().applyLines([makeLine('wa2')]);
    expect(store.getState().lineIds).toEqual(['wa2']);
    expect(store.getState().lines.wa1).toBeUndefined();
  });

  it('keeps events newest first without duplicates', () => {
    const store = createStationStore();
    const e = (id: number) => ({ id, at: '2026-01-01T00:00:00Z', level: 'info' as const, kind: 'device' as const, lineId: null, message: `e${id}` });
    store.getState().setEvents([e(2), e(1)]);
    store.getState().addEvent(e(3));
    store.getState().addEvent(e(3));
    expect(store.getState().events.map((x) => x.id)).toEqual([3, 2, 1]);
  });
});

describe('live figures', () => {
  afterEach(() => vi.useRealTimers());

  /** wa1 in a call whose levels read `level`, its phone's ping `ping` ms; wa2 idle. */
  const call = connectedCall(10_000);
  const snapshot = (level: number, patch: Partial<LineView> = {}, ping = 3): LineView[] => [
    makeLine('wa1', { call: { ...call, stats: { ...call.stats!, levelInDbfs: level } }, device: { ...makeLine('wa1').device!, pingRttMs: ping }, ...patch }),
    makeLine('wa2'),
  ];
  const level = (store: ReturnType<typeof createStationStore>) => store.getState().lines.wa1!.call?.stats?.levelInDbfs;

  it('are told from every other change of a line', () => {
    const before = share(undefined, snapshot(-20)[0]!);
    expect(onlyLiveFiguresChanged(before, share(before, snapshot(-25)[0]!))).toBe(true);
    expect(onlyLiveFiguresChanged(before, share(before, snapshot(-20, {}, 9)[0]!))).toBe(true);
    expect(onlyLiveFiguresChanged(before, share(before, snapshot(-20, { registration: { state: 'failed', reason: 'x', code: 403 } })[0]!))).toBe(false);
    const ended = snapshot(-20)[0]!;
    ended.call = { ...ended.call!, state: 'ended' };
    expect(onlyLiveFiguresChanged(before, share(before, ended))).toBe(false);
    expect(onlyLiveFiguresChanged(undefined, before)).toBe(false);
  });

  it('pushed ten times a second are drawn five times a second, each time as the latest snapshot says', () => {
    vi.useFakeTimers();
    let clock = 0;
    const store = createStationStore({ now: () => clock });
    store.getState().applyLines(snapshot(-20));
    let draws = 0;
    store.subscribe(() => draws++);
    for (let n = 1; n <= 10; n++) {
      clock += 100;
      vi.advanceTimersByTime(100);
      store.getState().applyLines(snapshot(-20 - n));
    }
    // A second of ten snapshots: five draws, each of the latest snapshot at the time.
    expect(draws).toBe(5);
    expect(level(store)).toBe(-29);
    // The last snapshot is drawn when its interval is up.
    vi.advanceTimersByTime(LIVE_EVERY_MS);
    expect(draws).toBe(6);
    expect(level(store)).toBe(-30);
  });

  it('wait for nothing when anything else changes, and a waiting figure does not come back after it', () => {
    vi.useFakeTimers();
    let clock = 0;
    const store = createStationStore({ now: () => clock });
    store.getState().applyLines(snapshot(-20));
    clock += 50;
    store.getState().applyLines(snapshot(-21)); // live only, right after a draw: waits
    expect(level(store)).toBe(-20);
    clock += 10;
    const ended = snapshot(-22);
    ended[0]!.call = { ...ended[0]!.call!, state: 'ended' };
    store.getState().applyLines(ended); // the call ended: drawn at once, with its latest figures
    expect(store.getState().lines.wa1!.call!.state).toBe('ended');
    expect(level(store)).toBe(-22);
    clock += 1_000;
    vi.advanceTimersByTime(1_000);
    expect(store.getState().lines.wa1!.call!.state).toBe('ended');
    expect(level(store)).toBe(-22);
  });
});

describe('line problems, sorting and filtering', () => {
  const failed = makeLine('wa3', { registration: { state: 'failed', reason: 'the PBX refused the credentials', code: 403 } });
  const unauthorized = makeLine('wa2', { device: { ...makeLine('wa2').device!, state: 'unauthorized' } });
  const noRoute = makeLine('wa10', { agent: { ...makeLine('wa10').agent!, audioRoute: 'none' } });
  const ok = makeLine('wa1', { today: { ...makeLine('wa1').today!, attempts: 7 } });

  it('says what is wrong in a sentence', () => {
    expect(lineProblems(failed, INFO)).toEqual([{ level: 'error', text: 'Registration failed (403): the PBX refused the credentials' }]);
    expect(lineProblems(unauthorized, INFO)[0]!.text).toMatch(/not allowed USB debugging/);
    expect(lineProblems(noRoute, INFO)[0]!.text).toMatch(/no audio route/);
    expect(lineProblems(ok, { pbxConfigured: false })).toEqual([{ level: 'error', text: 'no PBX' }]);
    expect(worstLevel(lineProblems(ok, INFO))).toBeNull();
  });

  it('sorts by id (numerically), problems first, state and calls today', () => {
    const lines = [noRoute, ok, failed, unauthorized];
    expect(orderLines(lines, 'id', INFO).map((l) => l.id)).toEqual(['wa1', 'wa2', 'wa3', 'wa10']);
    expect(orderLines(lines, 'problems', INFO).map((l) => l.id)).toEqual(['wa2', 'wa3', 'wa10', 'wa1']);
    expect(orderLines(lines, 'state', INFO)[0]!.id).toBe('wa3');
    expect(orderLines(lines, 'calls', INFO)[0]!.id).toBe('wa1');
  });

  it('filters by text, state and group', () => {
    const grouped = makeLine('wa5', { sip: { user: '2005', pbx: 'office', group: 'sales', enabled: true } });
    expect(matchesFilter(failed, { ...NO_FILTER, state: 'failed' })).toBe(true);
    expect(matchesFilter(ok, { ...NO_FILTER, state: 'failed' })).toBe(false);
    expect(matchesFilter(grouped, { ...NO_FILTER, group: 'sales' })).toBe(true);
    expect(matchesFilter(ok, { ...NO_FILTER, group: 'sales' })).toBe(false);
    expect(matchesFilter(ok, { ...NO_FILTER, text: 'serwa1' })).toBe(true);
    expect(matchesFilter(ok, { ...NO_FILTER, text: 'nothing like it' })).toBe(false);
  });
});
