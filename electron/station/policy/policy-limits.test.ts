import { afterEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, PolicyFixture, policy } from './policy-fixture';

let fx: PolicyFixture;
const open = (config = policy()) => (fx = new PolicyFixture(config));
afterEach(() => fx?.close());

const answered = { outcome: 'answered', hangupSide: 'whatsapp', answered: true } as const;

describe('unique-per-hour', () => {
  it('refuses a new number once the line called the maximum of distinct numbers this hour', () => {
    open(policy({ uniquePerHour: { max: 2 } }));
    fx.record('628111', answered);
    fx.record('628111', answered);
    expect(fx.check('628222').allow).toBe(true);
    fx.record('628222', answered);
    expect(fx.check('628333')).toMatchObject({ allow: false, rule: 'unique-per-hour', code: 503 });
    // A number already called this hour does not count again.
    expect(fx.check('628111').allow).toBe(true);
    // The limit is per line.
    expect(fx.check('628333', { line: 'wa2' }).allow).toBe(true);
    fx.advance(HOUR + 1);
    expect(fx.check('628333').allow).toBe(true);
  });

  it('does not count calls the policy refused', () => {
    open(policy({ uniquePerHour: { max: 1 } }));
    fx.record('628111', { outcome: 'filtered', hangupSide: null });
    expect(fx.check('628222').allow).toBe(true);
  });

  it('can be switched off, station-wide or for one line', () => {
    open(policy({ uniquePerHour: { max: 1 }, lines: { wa2: { uniquePerHour: { enabled: false } } } }));
    fx.record('628111', answered);
    fx.record('628111', { ...answered, line: 'wa2' });
    expect(fx.check('628222').allow).toBe(false);
    expect(fx.check('628222', { line: 'wa2' }).allow).toBe(true);
    fx.reconfigure(policy({ uniquePerHour: { enabled: false } }));
    expect(fx.check('628222').allow).toBe(true);
  });
});

describe('unique-per-day', () => {
  it('counts distinct numbers in the local day and starts over at midnight', () => {
    open(policy({ uniquePerDay: { max: 2 }, uniquePerHour: { enabled: false } }));
    fx.at('2024-05-01T08:00');
    fx.record('628111', answered);
    fx.at('2024-05-01T20:00');
    fx.record('628222', answered);
    fx.at('2024-05-01T23:59');
    expect(fx.check('628333')).toMatchObject({ allow: false, rule: 'unique-per-day', reason: 'line wa1 called 2 different numbers today (limit 2)' });
    expect(fx.check('628222').allow).toBe(true);
    expect(fx.engine.counters('wa1')).toMatchObject({ uniqueToday: 2, uniqueLastHour: 0 });
    fx.at('2024-05-02T00:00');
    expect(fx.check('628333').allow).toBe(true);
    expect(fx.engine.counters('wa1').uniqueToday).toBe(0);
  });
});

describe('pause-between-calls', () => {
  it('makes a line rest after each outbound call', () => {
    open(policy({ pauseBetweenCalls: { seconds: 30 } }));
    fx.record('628111', answered);
    fx.advance(29_500);
    expect(fx.check('628222')).toMatchObject({ allow: false, rule: 'pause-between-calls', code: 503, reason: 'line wa1 rests 1 s more (30 s between calls)' });
    expect(fx.engine.counters('wa1').restingUntil).toBe(fx.now + 500);
    expect(fx.check('628222', { line: 'wa2' }).allow).toBe(true);
    fx.advance(500);
    expect(fx.check('628222').allow).toBe(true);
    expect(fx.engine.counters('wa1').restingUntil).toBeNull();
  });

  it('is on by default and can be switched off', () => {
    open(policy({ pauseBetweenCalls: {} }));
    fx.record('628111', answered);
    expect(fx.check('628222')).toMatchObject({ rule: 'pause-between-calls' });
    fx.reconfigure(policy());
    expect(fx.check('628222').allow).toBe(true);
  });
});

describe('max-duration', () => {
  it('tells the call layer the longest call, per line', () => {
    open(policy({ maxDuration: { enabled: true, seconds: 600 }, lines: { wa2: { maxDuration: { seconds: 120 } }, wa3: { maxDuration: { enabled: false } } } }));
    expect(fx.check('628111')).toEqual({ allow: true, maxDurationS: 600 });
    expect(fx.check('628111', { line: 'wa2' })).toEqual({ allow: true, maxDurationS: 120 });
    expect(fx.check('628111', { line: 'wa3' })).toEqual({ allow: true, maxDurationS: null });
  });
});

describe('dedicated', () => {
  it('lets a dedicated line call only numbers that called or messaged it', () => {
    open(policy({ lines: { wa1: { dedicated: { enabled: true } } } }));
    expect(fx.check('628111')).toMatchObject({ allow: false, rule: 'dedicated', code: 503 });
    expect(fx.check('628111', { line: 'wa2' }).allow).toBe(true);
    fx.engine.noteInbound('wa2', '628111');
    expect(fx.check('628111').allow).toBe(false);
    fx.engine.noteInbound('wa1', '+62 8111');
    expect(fx.check('628111').allow).toBe(true);
    expect(fx.engine.counters('wa1').limits.dedicated).toBe(true);
  });
});

describe('destination-patterns', () => {
  it('refuses denied prefixes and, with an allow list, everything else', () => {
    open(policy({ destinationPatterns: { allow: ['+62', '/^1\\d{10}$/'], deny: ['62899', '/^62811[0-4]/'] } }));
    expect(fx.check('+62 812 345').allow).toBe(true);
    expect(fx.check('12025550123').allow).toBe(true);
    expect(fx.check('120255501230')).toMatchObject({ allow: false, rule: 'destination-patterns', code: 503, reason: '120255501230 matches no allow pattern' });
    expect(fx.check('628993')).toMatchObject({ rule: 'destination-patterns', reason: '628993 matches the deny pattern 62899' });
    expect(fx.check('6281130').allow).toBe(false);
    expect(fx.check('6281150').allow).toBe(true);
    fx.reconfigure(policy({ destinationPatterns: { enabled: false, deny: ['62'] } }));
    expect(fx.check('628993').allow).toBe(true);
  });
});

describe('hunting', () => {
  it('offers the least recently used lines first, never-used ones before all', () => {
    open();
    fx.record('628111', { ...answered, line: 'wa2' });
    fx.advance(MINUTE);
    fx.record('628111', { ...answered, line: 'wa1' });
    fx.advance(MINUTE);
    fx.record('628111', { ...answered, line: 'wa3' });
    expect(fx.engine.eligibleLines(['wa1', 'wa2', 'wa3', 'wa4', 'wa5'], '628222')).toEqual(['wa4', 'wa5', 'wa2', 'wa1', 'wa3']);
  });

  it('leaves out lines whose limits refuse the number', () => {
    open(policy({ pauseBetweenCalls: { seconds: 60 }, uniquePerHour: { max: 1 }, lines: { wa4: { dedicated: { enabled: true } } } }));
    fx.record('628111', { ...answered, line: 'wa1' });
    fx.advance(2 * MINUTE);
    fx.record('628111', { ...answered, line: 'wa2' }); // resting
    expect(fx.engine.eligibleLines(['wa1', 'wa2', 'wa3', 'wa4'], '628222')).toEqual(['wa3']);
    expect(fx.engine.eligibleLines(['wa1', 'wa2', 'wa3', 'wa4'], '628111')).toEqual(['wa3', 'wa1']);
  });

  it('picks a line, says 486 when every line is busy, and names the limit when all free lines are limited', () => {
    open(policy({ uniquePerHour: { max: 1 } }));
    fx.record('628111', { ...answered, line: 'wa1' });
    const lines = [
      { line: 'wa1', busy: false },
      { line: 'wa2', busy: false },
    ];
    expect(fx.engine.hunt({ lines, callerId: '1001', number: '628222' })).toEqual({ allow: true, line: 'wa2', maxDurationS: null });
    const busy = lines.map((l) => ({ ...l, busy: true }));
    expect(fx.engine.hunt({ lines: busy, callerId: '1001', number: '628222' })).toEqual({
      allow: false,
      rule: 'one-call-per-line',
      code: 486,
      reason: 'all 2 lines are busy',
    });
    const v = fx.engine.hunt({ lines: [lines[0]!, { line: 'wa2', busy: true }], callerId: '1001', number: '628222' });
    expect(v).toMatchObject({ allow: false, rule: 'unique-per-hour', code: 503 });
    expect(v.allow === false && v.reason).toMatch(/^every free line is limited; line wa1/);
    fx.record('628333', { outcome: 'not-on-whatsapp' });
    expect(fx.engine.hunt({ lines, callerId: '1001', number: '628333' })).toMatchObject({ rule: 'not-on-whatsapp', code: 488 });
  });
});

describe('counters', () => {
  it('reports the line usage and the limits in force', () => {
    open(policy({ pauseBetweenCalls: { seconds: 5 }, uniquePerDay: { enabled: false } }));
    expect(fx.engine.counters('wa1')).toEqual({
      uniqueLastHour: 0,
      uniqueToday: 0,
      limits: { uniquePerHour: 20, uniquePerDay: null, pauseBetweenCallsS: 5, maxDurationS: null, dedicated: false },
      lastCallEndedAt: null,
      restingUntil: null,
    });
    fx.record('628111', answered);
    fx.advance(MINUTE);
    fx.record('628222', answered);
    fx.record('628111', answered);
    expect(fx.engine.counters('wa1')).toMatchObject({ uniqueLastHour: 2, uniqueToday: 2, lastCallEndedAt: fx.now, restingUntil: fx.now + 5000 });
  });
});
