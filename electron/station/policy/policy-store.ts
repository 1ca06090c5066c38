/**
 * The policy's memory in SQLite (module "policy"): what each line called and when, early hang-ups per
 * caller, offline results and the non-WhatsApp cache per number, and each line's known contacts. It
 * lives in the station database so a restart or a crash keeps every filter's memory.
 *
 * Times are epoch milliseconds from the engine's clock. Numbers are digits only.
 */
import { migrate, type Db } from '../util/sqlite';

const MIGRATIONS = [
  `CREATE TABLE policy_line_calls (
     line TEXT NOT NULL,
     number TEXT NOT NULL,
     ended_at INTEGER NOT NULL
   );
   CREATE INDEX policy_line_calls_by_line ON policy_line_calls (line, ended_at);
   -- Kept apart from policy_line_calls so that pruning old calls never forgets a line's last call.
   CREATE TABLE policy_line_state (
     line TEXT PRIMARY KEY,
     last_ended_at INTEGER NOT NULL
   );
   CREATE TABLE policy_early_hangups (
     caller_id TEXT NOT NULL,
     line TEXT NOT NULL,
     number TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX policy_early_hangups_by_caller ON policy_early_hangups (caller_id, at);
   CREATE TABLE policy_offline (
     number TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX policy_offline_by_number ON policy_offline (number, at);
   CREATE TABLE policy_not_on_whatsapp (
     number TEXT PRIMARY KEY,
     found_at INTEGER NOT NULL
   );
   CREATE TABLE policy_known_contacts (
     line TEXT NOT NULL,
     number TEXT NOT NULL,
     first_seen INTEGER NOT NULL,
     last_seen INTEGER NOT NULL,
     PRIMARY KEY (line, number)
   ) WITHOUT ROWID;`,
];

/** How far back each table must reach; older rows can go. */
export interface PruneHorizon {
  calls: number;
  earlyHangups: number;
  offline: number;
  notOnWhatsapp: number;
}

export class PolicyStore {
  private readonly q;

  constructor(private readonly db: Db) {
    migrate(db, 'policy', MIGRATIONS);
    const p = <R = unknown>(sql: string) => db.prepare<unknown[], R>(sql);
    this.q = {
      addCall: p('INSERT INTO policy_line_calls (line, number, ended_at) VALUES (?, ?, ?)'),
      touchLine: p(
        `INSERT INTO policy_line_state (line, last_ended_at) VALUES (?, ?)
         ON CONFLICT (line) DO UPDATE SET last_ended_at = max(last_ended_at, excluded.last_ended_at)`,
      ),
      lastEnded: p<{ last_ended_at: number }>('SELECT last_ended_at FROM policy_line_state WHERE line = ?'),
      distinctSince: p<{ n: number }>('SELECT count(DISTINCT number) AS n FROM policy_line_calls WHERE line = ? AND ended_at >= ?'),
      calledSince: p('SELECT 1 FROM policy_line_calls WHERE line = ? AND number = ? AND ended_at >= ? LIMIT 1'),
      addEarly: p('INSERT INTO policy_early_hangups (caller_id, line, number, at) VALUES (?, ?, ?, ?)'),
      earlySince: p<{ n: number }>('SELECT count(*) AS n FROM policy_early_hangups WHERE caller_id = ? AND at >= ?'),
      addOffline: p('INSERT INTO policy_offline (number, at) VALUES (?, ?)'),
      offlineSince: p<{ n: number }>('SELECT count(*) AS n FROM policy_offline WHERE number = ? AND at >= ?'),
      clearOffline: p('DELETE FROM policy_offline WHERE number = ?'),
      markNotOnWa: p(
        `INSERT INTO policy_not_on_whatsapp (number, found_at) VALUES (?, ?)
         ON CONFLICT (number) DO UPDATE SET found_at = excluded.found_at`,
      ),
      notOnWaFoundAt: p<{ found_at: number }>('SELECT found_at FROM policy_not_on_whatsapp WHERE number = ?'),
      forgetNotOnWa: p('DELETE FROM policy_not_on_whatsapp WHERE number = ?'),
      noteContact: p(
        `INSERT INTO policy_known_contacts (line, number, first_seen, last_seen) VALUES (?, ?, ?, ?)
         ON CONFLICT (line, number) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`,
      ),
      isContact: p('SELECT 1 FROM policy_known_contacts WHERE line = ? AND number = ?'),
      pruneCalls: p('DELETE FROM policy_line_calls WHERE ended_at < ?'),
      pruneEarly: p('DELETE FROM policy_early_hangups WHERE at < ?'),
      pruneOffline: p('DELETE FROM policy_offline WHERE at < ?'),
      pruneNotOnWa: p('DELETE FROM policy_not_on_whatsapp WHERE found_at < ?'),
    };
  }

  /** A call this line placed (dialed on WhatsApp) to `number`, ended at `endedAt`. */
  addCall(line: string, number: string, endedAt: number): void {
    this.db.transaction(() => {
      this.q.addCall.run(line, number, endedAt);
      this.q.touchLine.run(line, endedAt);
    })();
  }

  lastCallEndedAt(line: string): number | null {
    return this.q.lastEnded.get(line)?.last_ended_at ?? null;
  }

  distinctNumbersSince(line: string, since: number): number {
    return this.q.distinctSince.get(line, since)?.n ?? 0;
  }

  calledSince(line: string, number: string, since: number): boolean {
    return this.q.calledSince.get(line, number, since) !== undefined;
  }

  addEarlyHangup(callerId: string, line: string, number: string, at: number): void {
    this.q.addEarly.run(callerId, line, number, at);
  }

  earlyHangupsSince(callerId: string, since: number): number {
    return this.q.earlySince.get(callerId, since)?.n ?? 0;
  }

  addOffline(number: string, at: number): void {
    this.q.addOffline.run(number, at);
  }

  offlineSince(number: string, since: number): number {
    return this.q.offlineSince.get(number, since)?.n ?? 0;
  }

  /** The number answered: it is online and on WhatsApp after all. */
  clearNumber(number: string): void {
    this.db.transaction(() => {
      this.q.clearOffline.run(number);
      this.q.forgetNotOnWa.run(number);
    })();
  }

  markNotOnWhatsapp(number: string, at: number): void {
    this.q.markNotOnWa.run(number, at);
  }

  /** When `number` was last found not on WhatsApp, or null when it is not in the cache. */
  notOnWhatsappSince(number: string): number | null {
    return this.q.notOnWaFoundAt.get(number)?.found_at ?? null;
  }

  forgetNotOnWhatsapp(number: string): boolean {
    return this.q.forgetNotOnWa.run(number).changes > 0;
  }

  noteContact(line: string, number: string, at: number): void {
    this.q.noteContact.run(line, number, at, at);
  }

  isKnownContact(line: string, number: string): boolean {
    return this.q.isContact.get(line, number) !== undefined;
  }

  prune(before: PruneHorizon): void {
    this.db.transaction(() => {
      this.q.pruneCalls.run(before.calls);
      this.q.pruneEarly.run(before.earlyHangups);
      this.q.pruneOffline.run(before.offline);
      this.q.pruneNotOnWa.run(before.notOnWhatsapp);
    })();
  }
}
