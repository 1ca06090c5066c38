/**
 * Lock-after rules (rule id `lock-after`): a run of bad calls on a line pauses the line for a while,
 * the way GSM gateways (GoIP, Ejoin, 2N) lock a SIM after failed calls, so an account in trouble is not
 * pushed further towards a ban and the PBX's calls go to lines that work.
 *
 *   (counting) --N bad calls of one kind--> paused(kind, until) --until passes--> (counting)
 *                                              |
 *                                              +--operator lifts / rule switched off--> (counting)
 *
 * What counts (`classifyCall`), per outbound call (SIP -> WhatsApp and test dials) once it ended:
 *   failed:     the phone side failed (outcome `error`: agent error, phone lost, no audio route)
 *   unanswered: the WhatsApp user did not answer (rejected, busy, no answer, offline, hung up ringing)
 *   short:      answered, but shorter than `shortSeconds`
 *   good:       answered and long enough: every run starts again from zero
 *   not counted: a policy refusal (nothing was dialled), a number not on WhatsApp (the number's fault,
 *               remembered by not-on-whatsapp), the PBX user hanging up before the answer (early-hangup)
 * Each kind keeps its own run since the line's last good call; a run that reaches its count pauses the
 * line and all runs start again. Runs and pauses are kept in SQLite: a restart keeps them, as it keeps
 * every other filter's memory.
 */
import { Emitter } from '../util/emitter';
import { migrate, type Db } from '../util/sqlite';
import type { LockAfterSettings } from './policy-config';

export const LOCK_KINDS = ['failed', 'unanswered', 'short'] as const;
export type LockKind = (typeof LOCK_KINDS)[number];

/** A line taken out of service by a lock-after rule. Times are epoch ms. */
export interface LinePause {
  rule: 'lock-after';
  kind: LockKind;
  /** Why, without the line and the time: "3 calls failed on the phone side since its last good call (limit 3)". */
  reason: string;
  since: number;
  until: number;
}

/** What the lock-after rule needs to know of an ended call. */
export interface EndedCall {
  /** The WhatsApp outcome, or `filtered` when a policy rule refused the call. */
  outcome: string;
  answered: boolean;
  /** Seconds from the answer to the end; null when unknown. */
  talkS: number | null;
  hangupSide: 'sip' | 'whatsapp' | 'station' | null;
}

const UNANSWERED = new Set(['rejected', 'busy', 'no-answer', 'offline', 'remote-hangup']);

/** Which run an ended call feeds: a bad kind, `good` (every run restarts), or null (not counted). */
/** The pause in one sentence, as the SIP Warning and the events panel say it. */
export function pauseText(line: string, p: LinePause): string {
  return `line ${line} paused until ${new Date(p.until).toISOString()}: ${p.reason}`;
}

export function classifyCall(c: EndedCall, shortSeconds: number): LockKind | 'good' | null {
  if (c.outcome === 'filtered') return null;
  if (c.answered) return c.talkS !== null && c.talkS < shortSeconds ? 'short' : 'good';
  // The PBX user gave up while it rang: the caller's doing, which early-hangup watches.
  if (c.hangupSide === 'sip') return null;
  if (c.outcome === 'error') return 'failed';
  return UNANSWERED.has(c.outcome) ? 'unanswered' : null;
}

const KIND_WORDS: Record<LockKind, string> = {
  failed: 'calls failed on the phone side',
  unanswered: 'calls were not answered',
  short: 'answered calls were shorter than',
};

const MIGRATIONS = [
  `CREATE TABLE lock_after_runs (
     line TEXT PRIMARY KEY,
     failed INTEGER NOT NULL DEFAULT 0,
     unanswered INTEGER NOT NULL DEFAULT 0,
     short INTEGER NOT NULL DEFAULT 0
   ) WITHOUT ROWID;
   CREATE TABLE lock_after_pauses (
     line TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     reason TEXT NOT NULL,
     since INTEGER NOT NULL,
     until INTEGER NOT NULL
   ) WITHOUT ROWID;`,
];

type Runs = Record<LockKind, number>;

export class LockAfter extends Emitter<{ paused: [line: string, pause: LinePause]; resumed: [line: string, why: string] }> {
  private readonly q;
  /** The pauses in force, also in SQLite: hunting asks for every line on every call. */
  private readonly pauses = new Map<string, LinePause>();

  constructor(db: Db) {
    super();
    migrate(db, 'lock-after', MIGRATIONS);
    const p = <R = unknown>(sql: string) => db.prepare<unknown[], R>(sql);
    this.q = {
      runs: p<Runs>('SELECT failed, unanswered, short FROM lock_after_runs WHERE line = ?'),
      setRuns: p(
        `INSERT INTO lock_after_runs (line, failed, unanswered, short) VALUES (?, ?, ?, ?)
         ON CONFLICT (line) DO UPDATE SET failed = excluded.failed, unanswered = excluded.unanswered, short = excluded.short`,
      ),
      allPauses: p<{ line: string } & Omit<LinePause, 'rule'>>('SELECT line, kind, reason, since, until FROM lock_after_pauses'),
      addPause: p('INSERT OR REPLACE INTO lock_after_pauses (line, kind, reason, since, until) VALUES (?, ?, ?, ?, ?)'),
      deletePause: p('DELETE FROM lock_after_pauses WHERE line = ?'),
    };
    for (const row of this.q.allPauses.all()) {
      this.pauses.set(row.line, { rule: 'lock-after', kind: row.kind, reason: row.reason, since: row.since, until: row.until });
    }
  }

  /** The pause in force on `line` now, or null (a pause of a rule switched off is not in force). */
  pauseOf(line: string, now: number, settings: LockAfterSettings): LinePause | null {
    const p = this.pauses.get(line);
    return p && settings.enabled && p.until > now ? p : null;
  }

  /** An outbound call on `line` ended: feed its run, and pause the line when a run reaches its count. */
  record(line: string, call: EndedCall, now: number, settings: LockAfterSettings): void {
    const kind = classifyCall(call, settings.shortSeconds);
    if (kind === null) return;
    const runs = this.runsOf(line);
    if (kind === 'good') return this.saveRuns(line, { failed: 0, unanswered: 0, short: 0 });
    runs[kind]++;
    const limit = settings[kind];
    if (!settings.enabled || limit === 0 || runs[kind] < limit || this.pauseOf(line, now, settings)) return this.saveRuns(line, runs);
    const until = now + settings.pauseMinutes * 60_000;
    const what = kind === 'short' ? `${KIND_WORDS.short} ${settings.shortSeconds} s` : KIND_WORDS[kind];
    const reason = `${runs[kind]} ${what} since its last good call (limit ${limit})`;
    const pause: LinePause = { rule: 'lock-after', kind, reason, since: now, until };
    this.pauses.set(line, pause);
    this.q.addPause.run(line, kind, reason, now, until);
    this.saveRuns(line, { failed: 0, unanswered: 0, short: 0 });
    this.emit('paused', line, pause);
  }

  /** The operator takes the line back into service; false when it was not paused. */
  lift(line: string): boolean {
    if (!this.pauses.has(line)) return false;
    this.end(line, 'the operator lifted the pause');
    return true;
  }

  /** Ends the pauses that ran out, and those whose rule is now off (settings saved). */
  sweep(now: number, settingsOf: (line: string) => LockAfterSettings): void {
    for (const [line, p] of [...this.pauses]) {
      if (p.until <= now) this.end(line, `its ${p.kind} pause ended`);
      else if (!settingsOf(line).enabled) this.end(line, 'lock-after was switched off');
    }
  }

  private end(line: string, why: string): void {
    this.pauses.delete(line);
    this.q.deletePause.run(line);
    this.emit('resumed', line, why);
  }

  private runsOf(line: string): Runs {
    return { ...(this.q.runs.get(line) ?? { failed: 0, unanswered: 0, short: 0 }) };
  }

  private saveRuns(line: string, r: Runs): void {
    this.q.setRuns.run(line, r.failed, r.unanswered, r.short);
  }
}
