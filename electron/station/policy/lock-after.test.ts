import { afterEach, describe, expect, it } from 'vitest';
import { classifyCall, type LinePause } from './lock-after';
import { policySchema } from './policy-config';
import { MINUTE, PolicyFixture, policy } from './policy-fixture';

const LOCK = { enabled: true, failed: 3, unanswered: 4, short: 2, shortSeconds: 10, pauseMinutes: 30 };

let f: PolicyFixture;
// A test of the schema alone opens no fixture: the last one was closed already.
afterEach(() => f?.db.open && f.close());

/** Listens to the rule's pause and resume events the way the station's events panel does. */
function watch(fx: PolicyFixture) {
  const paused: [string, LinePause][] = [];
  const resumed: [string, string][] = [];
  fx.engine.locks.on('paused', (line, p) => paused.push([line, p]));
  fx.engine.locks.on('resumed', (line, why) => resumed.push([line, why]));
  return { paused, resumed };
}

const failed = { outcome: 'error', hangupSide: 'whatsapp', answered: false } as const;
const good = { outcome: 'remote-hangup', hangupSide: 'whatsapp', answered: true, talkS: 60 } as const;

describe('lock-after', () => {
  it('pauses a line after N failed calls in a row: 503 naming the rule and until when, out of hunting', () => {
    f = new PolicyFixture(policy({ lockAfter: LOCK }));
    const events = watch(f);
    for (let i = 0; i < 2; i++) f.record(`62811000${i}`, failed);
    expect(f.check('628120000').allow).toBe(true);
    f.record('6281100009', failed);
    const v = f.check('628120000');
    const until = new Date(f.now + 30 * MINUTE).toISOString();
    expect(v).toMatchObject({ allow: false, rule: 'lock-after', code: 503 });
    expect(!v.allow && v.reason).toBe(`line wa1 paused until ${until}: 3 calls failed on the phone side since its last good call (limit 3)`);
    expect(f.engine.eligibleLines(['wa1', 'wa2'], '628120000')).toEqual(['wa2']);
    expect(f.engine.hunt({ lines: [{ line: 'wa1', busy: false }], callerId: '1001', number: '628120000' })).toMatchObject({ allow: false, rule: 'lock-after', code: 503 });
    expect(events.paused.map(([l, p]) => [l, p.kind, new Date(p.until).toISOString()])).toEqual([['wa1', 'failed', until]]);
    expect(f.engine.pauseOf('wa1')).toMatchObject({ rule: 'lock-after', kind: 'failed' });
    expect(f.engine.pauseOf('wa2')).toBeNull();
  });

  it('starts every run again after a good call', () => {
    f = new PolicyFixture(policy({ lockAfter: LOCK }));
    f.record('6281', failed);
    f.record('6282', failed);
    f.record('6283', good);
    f.record('6284', failed);
    f.record('6285', failed);
    expect(f.engine.pauseOf('wa1')).toBeNull();
    f.record('6286', failed);
    expect(f.engine.pauseOf('wa1')?.kind).toBe('failed');
  });

  it('counts unanswered and very short calls in their own runs', () => {
    f = new PolicyFixture(policy({ lockAfter: LOCK }));
    // Busy, rejected and offline are not answered; a failed call between them keeps their run.
    for (const outcome of ['busy', 'rejected', 'offline'] as const) f.record('6281', { outcome });
    f.record('6282', failed);
    expect(f.engine.pauseOf('wa1')).toBeNull();
    f.record('6283', { outcome: 'no-answer' });
    expect(f.engine.pauseOf('wa1')?.reason).toContain('4 calls were not answered');
    f.engine.liftPause('wa1');
    f.record('6284', { ...good, talkS: 4 });
    f.record('6285', { ...good, talkS: 9.5 });
    expect(f.engine.pauseOf('wa1')?.reason).toContain('2 answered calls were shorter than 10 s');
  });

  it('does not count a policy refusal, a number not on WhatsApp, or the PBX user hanging up while it rang', () => {
    f = new PolicyFixture(policy({ lockAfter: { ...LOCK, unanswered: 1, failed: 1 } }));
    f.record('6281', { outcome: 'filtered' });
    f.record('6282', { outcome: 'not-on-whatsapp' });
    f.record('6283', { outcome: 'local-hangup', hangupSide: 'sip' });
    f.record('6284', { outcome: 'error', hangupSide: 'sip' });
    expect(f.engine.pauseOf('wa1')).toBeNull();
    expect(classifyCall({ outcome: 'busy', answered: false, talkS: null, hangupSide: 'whatsapp' }, 10)).toBe('unanswered');
    expect(classifyCall({ outcome: 'remote-hangup', answered: true, talkS: null, hangupSide: 'whatsapp' }, 10)).toBe('good');
  });

  it('ends the pause after M minutes, saying so once', () => {
    f = new PolicyFixture(policy({ lockAfter: { ...LOCK, pauseMinutes: 5 } }));
    const events = watch(f);
    for (let i = 0; i < 3; i++) f.record('6281', failed);
    f.advance(5 * MINUTE - 1);
    f.engine.sweepPauses();
    expect(f.check('628120000').allow).toBe(false);
    expect(events.resumed).toEqual([]);
    f.advance(1);
    expect(f.check('628120000').allow).toBe(true);
    f.engine.sweepPauses();
    f.engine.sweepPauses();
    expect(events.resumed).toEqual([['wa1', 'its failed pause ended']]);
    // The run started again with the pause: one more failure does not pause the line again.
    f.record('6281', failed);
    expect(f.engine.pauseOf('wa1')).toBeNull();
  });

  it('lets the operator lift a pause', () => {
    f = new PolicyFixture(policy({ lockAfter: LOCK }));
    const events = watch(f);
    for (let i = 0; i < 3; i++) f.record('6281', failed);
    expect(f.engine.liftPause('wa1')).toBe(true);
    expect(f.check('628120000').allow).toBe(true);
    expect(f.engine.liftPause('wa1')).toBe(false);
    expect(events.resumed).toEqual([['wa1', 'the operator lifted the pause']]);
  });

  it('takes per-line overrides, and pauses nothing while switched off (still counting)', () => {
    f = new PolicyFixture(policy({ lockAfter: { ...LOCK, enabled: false }, lines: { wa2: { lockAfter: { enabled: true, failed: 1, pauseMinutes: 2 } } } }));
    for (let i = 0; i < 3; i++) f.record('6281', failed);
    f.record('6281', { ...failed, line: 'wa2' });
    expect(f.engine.pauseOf('wa1')).toBeNull();
    expect(f.engine.pauseOf('wa2')?.until).toBe(f.now + 2 * MINUTE);
    expect(f.check('628120000', { line: 'wa2' })).toMatchObject({ allow: false, rule: 'lock-after' });
    // wa1's failures were counted: switched on, its next failure pauses it.
    f.reconfigure(policy({ lockAfter: { ...LOCK, failed: 4 } }));
    f.record('6281', failed);
    expect(f.engine.pauseOf('wa1')?.reason).toContain('4 calls failed');
  });

  it('keeps a pause over a settings save and a restart; switching the rule off ends it', () => {
    f = new PolicyFixture(policy({ lockAfter: LOCK }));
    for (let i = 0; i < 3; i++) f.record('6281', failed);
    const pause = f.engine.pauseOf('wa1');
    f.reconfigure(policy({ lockAfter: { ...LOCK, pauseMinutes: 60 } }));
    expect(f.engine.pauseOf('wa1')).toEqual(pause);
    f.reopen();
    expect(f.engine.pauseOf('wa1')).toEqual(pause);
    const events = watch(f);
    f.reconfigure(policy({ lockAfter: { ...LOCK, enabled: false } }));
    expect(f.engine.pauseOf('wa1')).toBeNull();
    f.engine.sweepPauses();
    expect(events.resumed).toEqual([['wa1', 'lock-after was switched off']]);
    f.reconfigure(policy({ lockAfter: LOCK }));
    expect(f.engine.pauseOf('wa1')).toBeNull();
  });

  it('refuses bad figures naming the field, and is off by default', () => {
    const r = policySchema.safeParse({ lockAfter: { failed: -1, pauseMinutes: 0 }, lines: { wa1: { lockAfter: { shortSeconds: 0.5 } } } });
    const found = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(found).toEqual(['lockAfter.failed: must be at least 0', 'lockAfter.pauseMinutes: must be at least 1', 'lines.wa1.lockAfter.shortSeconds: must be a whole number']);
    expect(policySchema.parse({}).lockAfter).toEqual({ enabled: false, failed: 3, unanswered: 5, short: 5, shortSeconds: 10, pauseMinutes: 30 });
  });
});
