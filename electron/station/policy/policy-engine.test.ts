import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, PolicyFixture, policy } from './policy-fixture';

let fx: PolicyFixture;
const open = (config = policy()) => (fx = new PolicyFixture(config));
afterEach(() => fx?.close());

/** The SIP side hung up while WhatsApp was still ringing. */
const cut = { outcome: 'local-hangup', hangupSide: 'sip', answered: false } as const;

describe('one-call-per-line', () => {
  it('refuses a busy line with 486 and lets a free one call', () => {
    open();
    expect(fx.check('628111', { lineBusy: true })).toEqual({ allow: false, rule: 'one-call-per-line', code: 486, reason: 'line wa1 is busy' });
    expect(fx.check('628111')).toEqual({ allow: true, maxDurationS: null });
  });

  it('can be switched off', () => {
    open(policy({ oneCallPerLine: { enabled: false } }));
    expect(fx.check('628111', { lineBusy: true }).allow).toBe(true);
  });
});

describe('early-hangup', () => {
  it('refuses a caller who cut two calls today, for the rest of the day, with 503', () => {
    open();
    fx.record('628111', cut);
    expect(fx.check('628111').allow).toBe(true);
    fx.advance(MINUTE);
    fx.record('628222', cut);
    const v = fx.check('628333');
    expect(v).toMatchObject({ allow: false, rule: 'early-hangup', code: 503 });
    expect(v.allow === false && v.reason).toMatch(/caller 1001 .* 2 times today; refused until 2024-05-01T17:00:00.000Z/);
    // Other callers are not punished for 1001.
    expect(fx.check('628333', { callerId: '1002' }).allow).toBe(true);
    fx.at('2024-05-01T23:59');
    expect(fx.check('628333').allow).toBe(false);
    fx.at('2024-05-02T00:00');
    expect(fx.check('628333').allow).toBe(true);
  });

  it('counts only unanswered calls ended by the SIP side', () => {
    open();
    fx.record('628111', { outcome: 'answered', hangupSide: 'sip', answered: true });
    fx.record('628111', { outcome: 'rejected', hangupSide: 'whatsapp' });
    fx.record('628111', { outcome: 'no-answer', hangupSide: 'station' });
    fx.record('628111', { outcome: 'filtered', hangupSide: 'sip' });
    fx.record('628111', cut);
    expect(fx.check('628111').allow).toBe(true);
  });

  it('counts per local day: one cut before midnight and one after do not add up', () => {
    open();
    fx.at('2024-05-01T23:50');
    fx.record('628111', cut);
    fx.at('2024-05-02T00:10');
    fx.record('628111', cut);
    expect(fx.check('628111').allow).toBe(true);
  });

  it('follows the configured time zone', () => {
    // 16:30 UTC is 23:30 at UTC+7 but already the next day at UTC+8.
    open(policy({ timezoneOffsetMinutes: 480 }));
    fx.now = Date.parse('2024-05-01T15:50:00Z');
    fx.record('628111', cut);
    fx.record('628111', cut);
    fx.now = Date.parse('2024-05-01T16:00:00Z');
    expect(fx.check('628111').allow).toBe(true);
    fx.reconfigure(policy({ timezoneOffsetMinutes: 420 }));
    expect(fx.check('628111').allow).toBe(false);
  });

  it('can be tuned and switched off', () => {
    open(policy({ earlyHangup: { maxPerDay: 3 } }));
    fx.record('628111', cut);
    fx.record('628111', cut);
    expect(fx.check('628111').allow).toBe(true);
    fx.record('628111', cut);
    expect(fx.check('628111').allow).toBe(false);
    fx.reconfigure(policy({ earlyHangup: { enabled: false } }));
    expect(fx.check('628111').allow).toBe(true);
  });
});

describe('offline-repeat', () => {
  it('refuses the third call to a number found offline twice, with 503', () => {
    open();
    fx.record('628111');
    expect(fx.check('628111').allow).toBe(true);
    fx.advance(HOUR);
    fx.record('628111');
    // However the number is written.
    expect(fx.check('+62 811-1')).toMatchObject({ allow: false, rule: 'offline-repeat', code: 503, reason: '628111 was offline 2 times in the last 24 h' });
    // Other lines get the same answer: the number is the problem.
    expect(fx.check('628111', { line: 'wa2' }).allow).toBe(false);
    expect(fx.check('628222').allow).toBe(true);
  });

  it('forgets offline results older than the window', () => {
    open();
    fx.record('628111');
    fx.advance(2 * HOUR);
    fx.record('628111');
    fx.advance(22 * HOUR + MINUTE); // the first result is now 24 h 1 min old
    expect(fx.check('628111').allow).toBe(true);
  });

  it('starts over when the number answers', () => {
    open();
    fx.record('628111');
    fx.record('628111', { outcome: 'answered', answered: true, hangupSide: 'whatsapp' });
    fx.record('628111');
    expect(fx.check('628111').allow).toBe(true);
  });

  it('can be tuned and switched off', () => {
    open(policy({ offlineRepeat: { maxOffline: 3, windowHours: 1 } }));
    fx.record('628111');
    fx.record('628111');
    expect(fx.check('628111').allow).toBe(true);
    fx.record('628111');
    expect(fx.check('628111').allow).toBe(false);
    fx.advance(HOUR + 1);
    expect(fx.check('628111').allow).toBe(true);
    fx.advance(-HOUR - 1);
    fx.reconfigure(policy({ offlineRepeat: { enabled: false } }));
    expect(fx.check('628111').allow).toBe(true);
  });
});

describe('not-on-whatsapp', () => {
  const notOnWa = { outcome: 'not-on-whatsapp' } as const;

  it('refuses a remembered number at once with 488 until the memory expires', () => {
    open();
    fx.record('628111', notOnWa);
    expect(fx.check('628111', { line: 'wa2', callerId: '1002' })).toMatchObject({ allow: false, rule: 'not-on-whatsapp', code: 488 });
    fx.advance(30 * DAY - 1);
    expect(fx.check('628111').allow).toBe(false);
    fx.advance(1);
    expect(fx.check('628111').allow).toBe(true);
  });

  it('can be tuned, switched off, and told to forget a number', () => {
    open(policy({ notOnWhatsapp: { rememberDays: 2 } }));
    fx.record('628111', notOnWa);
    fx.advance(2 * DAY);
    expect(fx.check('628111').allow).toBe(true);
    fx.record('628111', notOnWa);
    expect(fx.engine.forgetNotOnWhatsapp('+628111')).toBe(true);
    expect(fx.check('628111').allow).toBe(true);
    fx.record('628111', notOnWa);
    fx.reconfigure(policy({ notOnWhatsapp: { enabled: false } }));
    expect(fx.check('628111').allow).toBe(true);
    // Memory kept while the rule was off applies when it is switched back on.
    fx.reconfigure(policy());
    expect(fx.check('628111').allow).toBe(false);
  });
});

describe('rule order', () => {
  it('names the number rule before the line rules', () => {
    open();
    fx.record('628111', { outcome: 'not-on-whatsapp' });
    expect(fx.check('628111', { lineBusy: true })).toMatchObject({ rule: 'not-on-whatsapp' });
  });
});

describe('persistence', () => {
  it('keeps every filter memory across a restart', () => {
    open(policy({ dedicated: { enabled: true }, uniquePerHour: { max: 2 }, pauseBetweenCalls: { seconds: 30 } }));
    fx.engine.noteInbound('wa1', '628999');
    fx.record('628111', { outcome: 'not-on-whatsapp' });
    fx.record('628222');
    fx.record('628222');
    fx.record('628333', { ...cut, callerId: '1007' });
    fx.record('628333', { ...cut, callerId: '1007' });
    fx.reopen();
    expect(fx.check('628111')).toMatchObject({ rule: 'not-on-whatsapp' });
    expect(fx.check('628222')).toMatchObject({ rule: 'offline-repeat' });
    expect(fx.check('628999', { callerId: '1007' })).toMatchObject({ rule: 'early-hangup' });
    expect(fx.check('628444')).toMatchObject({ rule: 'dedicated' });
    expect(fx.check('628999')).toMatchObject({ rule: 'unique-per-hour' });
    expect(fx.engine.counters('wa1')).toMatchObject({ uniqueLastHour: 3, lastCallEndedAt: fx.now });
    fx.advance(HOUR + 1);
    expect(fx.check('628999')).toEqual({ allow: true, maxDurationS: null });
  });
});
