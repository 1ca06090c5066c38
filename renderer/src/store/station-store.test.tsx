// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { INFO, makeLine } from '../test-support/fake-station';
import { lineProblems, worstLevel } from './line-problems';
import { matchesFilter, NO_FILTER, orderLines } from './line-order';
import { createStationStore } from './station-store';

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
