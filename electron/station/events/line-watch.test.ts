import { describe, expect, it } from 'vitest';
import type { LineView } from '../api/types';
import { EventLog } from './event-log';
import { LineWatch } from './line-watch';

function line(over: { reg?: LineView['registration']; device?: string; route?: string | null; account?: LineView['account']; guard?: LineView['guard'] } = {}): LineView {
  return {
    id: 'wa1',
    device: { serial: 'S1', state: (over.device ?? 'ready') as never, detail: 'gone from adb', since: '', lastError: null, props: { model: 'Pixel 7' } as never, pingRttMs: 1 },
    agent: over.route === null ? null : ({ audioRoute: over.route ?? 'audio-policy' } as never),
    registration: over.reg ?? { state: 'registered', reason: '', code: null },
    call: null,
    lastCall: null,
    sip: { user: '2001', pbx: 'office', group: null, enabled: true },
    today: null,
    paused: null,
    account: over.account ?? null,
    guard: over.guard ?? null,
  };
}

describe('events from the grid', () => {
  it('reports a registration failure once with its code and reason, and the recovery', () => {
    const log = new EventLog();
    const watch = new LineWatch(log);
    watch.update([line({ reg: { state: 'registering', reason: '', code: null } })]);
    const failed = line({ reg: { state: 'failed', reason: 'Forbidden', code: 403 } });
    watch.update([failed]);
    watch.update([failed]);
    watch.update([line()]);
    expect(log.list().map((e) => [e.level, e.kind, e.message])).toEqual([
      ['info', 'registration', 'registered as 2001 on office'],
      ['error', 'registration', 'registration failed (403): Forbidden'],
    ]);
  });

  it('reports a phone lost, unauthorized and back, and an agent without an audio route', () => {
    const log = new EventLog();
    const watch = new LineWatch(log);
    watch.update([line()]);
    watch.update([line({ device: 'lost', route: null })]);
    watch.update([line({ device: 'unauthorized', route: null })]);
    watch.update([line({ route: 'none' })]);
    expect(log.list().reverse().map((e) => `${e.level} ${e.kind}: ${e.message}`)).toEqual([
      'info registration: registered as 2001 on office',
      'warn device: phone Pixel 7 S1 lost: gone from adb',
      'warn device: phone S1 is unauthorized: accept the USB debugging prompt on the phone',
      'info device: phone Pixel 7 S1 ready',
      'warn agent: the agent has no audio route on this phone: calls would be silent',
    ]);
  });

  it('reports an unhealthy account and a guarded phone as errors, their recovery once each, and nothing for an unknown state', () => {
    const log = new EventLog();
    const watch = new LineWatch(log);
    const account = (state: NonNullable<LineView['account']>['state']) => ({ state, since: '' });
    const hot = { trip: 'hot' as const, reason: 'phone of wa1 is too hot (46.5 °C, limit 45 °C)', since: '' };
    watch.update([line()]);
    watch.update([line({ account: account('registered') })]);
    watch.update([line({ account: account('banned') })]);
    watch.update([line({ account: account('banned') })]);
    watch.update([line({ account: account('registered') })]);
    watch.update([line({ account: account('registered'), guard: hot })]);
    watch.update([line({ account: account('registered'), guard: { ...hot, reason: 'phone of wa1 is too hot (47.0 °C, limit 45 °C)' } })]);
    watch.update([line({ account: account('registered') })]);
    watch.update([line({ account: account('unknown') })]);
    watch.update([line({ account: account('registered') })]);
    expect(log.list().reverse().map((e) => `${e.level} ${e.kind}: ${e.message}`)).toEqual([
      'info registration: registered as 2001 on office',
      'error account: WhatsApp account of wa1 is banned: the line takes no calls until it is fixed',
      'info account: WhatsApp account of wa1 is registered again: the line takes calls',
      'error guard: phone of wa1 is too hot (46.5 °C, limit 45 °C): no new calls until it recovers',
      'info guard: phone of wa1 is within the heat and battery limits again: the line takes calls',
      // unknown said nothing; registered after it says registered (again), which clears nothing raised
      'info account: WhatsApp account of wa1 is registered again: the line takes calls',
    ]);
  });

  it('keeps only the newest entries', () => {
    const log = new EventLog(3);
    for (let i = 0; i < 5; i++) log.add('info', 'config', null, `entry ${i}`);
    expect(log.list().map((e) => e.message)).toEqual(['entry 4', 'entry 3', 'entry 2']);
  });
});
