import { describe, expect, it } from 'vitest';
import type { AlarmView, LineView } from '../api/types';
import { alarmsSchema } from '../config/schema';
import { EventLog } from '../events/event-log';
import { LineWatch } from '../events/line-watch';
import { AlarmEngine } from './alarm-engine';
import { alarmRules } from './alarm-rules';

/** An engine on a clock the test moves, fed by a real EventLog, recording what it raises and clears. */
function rig(alarms: unknown = {}) {
  let now = Date.parse('2026-12-03T10:00:00Z');
  const config = alarmsSchema.parse(alarms);
  const engine = new AlarmEngine({ rules: () => alarmRules(config), serialOf: (id) => `SER-${id}`, clock: () => now });
  const events = new EventLog(1000, () => now);
  events.on('entry', (e) => engine.observe(e));
  const sent: string[] = [];
  const raised: AlarmView[] = [];
  engine.on('raise', (a) => (sent.push(`raise ${a.rule} ${a.lineId} ${a.severity}`), raised.push(a)));
  engine.on('clear', (a) => sent.push(`clear ${a.rule} ${a.lineId}: ${a.clearMessage}`));
  const advance = (s: number) => {
    now += s * 1000;
    engine.tick();
  };
  return { engine, events, sent, raised, advance };
}

describe('alarm rules on the events', () => {
  it('raises a failing registration only when it is still failing after the hold-off, and clears it when it registers', () => {
    const { events, sent, raised, engine, advance } = rig({ rules: { 'registration-failed': { holdOffS: 30 } } });
    events.add('error', 'registration', 'wa1', 'registration failed (403): Forbidden');
    advance(29);
    expect(sent).toEqual([]);
    expect(engine.nextDueAt()).toBe(Date.parse('2026-12-03T10:00:30Z'));
    advance(1);
    expect(sent).toEqual(['raise registration-failed wa1 major']);
    expect(raised[0]).toMatchObject({ state: 'firing', serial: 'SER-wa1', count: 1, firstAt: '2026-12-03T10:00:00.000Z', lastAt: '2026-12-03T10:00:30.000Z' });
    expect(raised[0]!.message).toBe('line wa1 is not registered: registration failed (403): Forbidden');
    // Failing again while firing counts; it is not sent again.
    events.add('error', 'registration', 'wa1', 'registration failed (403): Forbidden');
    expect(engine.firing()[0]!.count).toBe(2);
    events.add('info', 'registration', 'wa1', 'registered as 2001 on office');
    expect(sent.at(-1)).toBe('clear registration-failed wa1: line wa1 is registered again: registered as 2001 on office');
    expect(engine.firing()).toEqual([]);
    expect(engine.recent()[0]).toMatchObject({ state: 'cleared', clearedAt: '2026-12-03T10:00:30.000Z', count: 2 });
  });

  it('raises nothing when the line recovers within the hold-off, and keeps lines apart', () => {
    const { events, sent, advance } = rig({ rules: { 'registration-failed': { holdOffS: 10 } } });
    events.add('error', 'registration', 'wa1', 'registration failed (408): timeout');
    events.add('error', 'registration', 'wa2', 'registration failed (408): timeout');
    advance(5);
    events.add('info', 'registration', 'wa1', 'registered as 2001 on office');
    advance(60);
    expect(sent).toEqual(['raise registration-failed wa2 major']);
  });

  it('tells a lost phone from an unauthorized one by the tag LineWatch gives, and "ready" clears both', () => {
    const { events, sent, advance } = rig({ rules: { 'phone-lost': { holdOffS: 0 } } });
    const watch = new LineWatch(events);
    const view = (device: string, route: string | null = 'audio-policy'): LineView =>
      ({
        id: 'wa1',
        device: { serial: 'S1', state: device, detail: 'gone from adb', props: { model: 'Pixel 7' } },
        agent: route === null ? null : { audioRoute: route },
        registration: { state: 'registered', reason: '', code: null },
        sip: { user: '2001', pbx: 'office' },
      }) as never;
    watch.update([view('ready')]);
    watch.update([view('lost', null)]);
    watch.update([view('unauthorized', null)]);
    watch.update([view('ready', 'none')]);
    watch.update([view('ready', 'audio-policy')]);
    advance(1);
    expect(sent).toEqual([
      'raise phone-lost wa1 major',
      'raise phone-unauthorized wa1 major',
      'clear phone-lost wa1: line wa1 has its phone again: phone Pixel 7 S1 ready',
      'clear phone-unauthorized wa1: line wa1 has its phone again: phone Pixel 7 S1 ready',
      'raise no-audio-route wa1 major',
      'clear no-audio-route wa1: line wa1: the agent has an audio route again: audio-policy',
    ]);
  });

  it('sends a one-shot alarm at once, counts repeats in its quiet period into it, and never clears it by an event', () => {
    const { events, sent, engine, advance } = rig({ rules: { 'abnormal-end': { holdOffS: 60, severity: 'major' } } });
    events.add('error', 'call', 'wa1', 'call with 15550109001 ended abnormally: no ACK from the PBX', 'abnormal-end');
    events.add('error', 'call', 'wa1', 'call to 15550109001 ended: phone lost'); // not an abnormal end: no tag
    advance(50);
    events.add('error', 'call', 'wa1', 'call with 15550109001 ended abnormally: RTP timeout', 'abnormal-end');
    events.add('info', 'call', 'wa1', 'whatever');
    expect(sent).toEqual(['raise abnormal-end wa1 major']);
    expect(engine.firing()[0]).toMatchObject({ count: 2, oneShot: true });
    advance(59);
    expect(engine.firing()).toHaveLength(1);
    advance(1);
    expect(engine.firing()).toEqual([]);
    expect(engine.recent()[0]).toMatchObject({ state: 'cleared', clearMessage: null, count: 2 });
    events.add('error', 'call', 'wa1', 'call with 15550109001 ended abnormally: BYE refused', 'abnormal-end');
    expect(sent).toEqual(['raise abnormal-end wa1 major', 'raise abnormal-end wa1 major']);
  });

  it('follows the settings: a rule switched off raises nothing, all alarms off raises nothing', () => {
    const off = rig({ rules: { 'line-paused': { enabled: false } } });
    off.events.add('error', 'pause', 'wa1', 'paused for 10 minutes after 3 failed calls');
    off.events.add('error', 'account', 'wa1', 'WhatsApp account of wa1 is banned');
    expect(off.sent).toEqual(['raise account-unhealthy wa1 critical']);
    const none = rig({ enabled: false });
    none.events.add('error', 'account', 'wa1', 'WhatsApp account of wa1 is banned');
    expect(none.sent).toEqual([]);
  });

  it('lists firing alarms worst first', () => {
    const { events, engine } = rig();
    events.add('warn', 'audio', 'wa2', 'call with 1555: one-way audio');
    events.add('error', 'account', 'wa1', 'WhatsApp account of wa1 is banned');
    events.add('error', 'guard', 'wa3', 'phone too hot (47 °C)');
    expect(engine.firing().map((a) => `${a.severity} ${a.rule}`)).toEqual(['critical account-unhealthy', 'major phone-guard', 'minor one-way-audio']);
  });
});
