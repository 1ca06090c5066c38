/**
 * The call log: one record per call, written when the call starts and completed when it ends, so a
 * station that is killed mid-call loses nothing; the next start closes such records as 'interrupted'.
 *
 * Every write is one statement (its own transaction in WAL mode) and runs synchronously: better-sqlite3
 * commits a small row in tens of microseconds, less than the jitter of the media path it runs beside.
 */
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../util/sqlite';
import { CALL_END_CAUSES, HANGUP_SIDES } from '../values';
import {
  CALL_LOG_DIRECTIONS,
  CALL_LOG_OUTCOMES,
  DESTINATION_SOURCES,
  billableSeconds,
  checkOneOf,
  toEpochMs,
  type CallEnd,
  type CallRecord,
  type CallStart,
  type CallUpdate,
} from './call-record';
import { migrateCallLog, rowToRecord, type CallRow } from './call-log-schema';
import { queryCalls, type CallPage, type PageRequest } from './call-query';
import type { CallFilter } from './call-record';
import { lineStats, MAX_BUCKETS, timeSeries, totalStats, type Bucket, type CallStats, type LineStats, type SeriesPoint } from './call-stats';

export const DAY_MS = 86_400_000;

/** How often open records are marked alive: after a crash their end is known to within this. */
export const HEARTBEAT_MS = 2_000;

/** Rows deleted per statement when pruning, so a year of records never holds the write lock for long. */
const PRUNE_BATCH = 5_000;

export interface CallLogOptions {
  /** The clock (epoch ms); tests pass a fake one. */
  now?: () => number;
}

/** One `SET` assignment: SQL with at most one `?`, and its value. */
type Assignment = [sql: string, value: string | number | null];

export class CallLog {
  private readonly now: () => number;
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement<[string], CallRow>;
  private readonly openStmt: Statement<[number], CallRow>;
  private readonly pruneStmt: Statement<[number, number]>;
  private readonly heartbeatStmt: Statement<[number, number]>;
  /** UPDATE statements by the set of columns they assign: a call writes the same few shapes. */
  private readonly updateStmts = new Map<string, Statement>();
  private readonly finishedListeners = new Set<(record: CallRecord) => void>();

  constructor(
    readonly db: Db,
    options: CallLogOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    migrateCallLog(db);
    this.insertStmt = db.prepare(`INSERT INTO call_records
      (id, call_id, sip_call_id, direction, line_id, carrier_line_id, device_serial, whatsapp_account, sip_account,
       caller, destination, destination_source, started_at, updated_at)
      VALUES (@id, @callId, @sipCallId, @direction, @lineId, @carrierLineId, @deviceSerial, @whatsappAccount, @sipAccount,
       @caller, @destination, @destinationSource, @startedAt, @updatedAt)`);
    this.heartbeatStmt = db.prepare('UPDATE call_records SET updated_at = ? WHERE ended_at IS NULL AND updated_at < ?');
    this.getStmt = db.prepare('SELECT * FROM call_records WHERE id = ?');
    this.openStmt = db.prepare('SELECT * FROM call_records WHERE ended_at IS NULL AND started_at <= ?');
    this.pruneStmt = db.prepare(`DELETE FROM call_records WHERE id IN
      (SELECT id FROM call_records WHERE started_at < ? AND ended_at IS NOT NULL LIMIT ?)`);
  }

  /** Writes the record of a call that has just started; returns the record id. */
  start(rec: CallStart): string {
    checkOneOf(rec.direction, CALL_LOG_DIRECTIONS, `call ${rec.callId} direction`);
    if (rec.destinationSource != null) {
      checkOneOf(rec.destinationSource, DESTINATION_SOURCES, `call ${rec.callId} destinationSource`);
    }
    const now = this.now();
    const id = randomUUID();
    this.insertStmt.run({
      id,
      callId: rec.callId,
      sipCallId: rec.sipCallId ?? null,
      direction: rec.direction,
      lineId: rec.lineId,
      carrierLineId: rec.carrierLineId ?? null,
      deviceSerial: rec.deviceSerial ?? null,
      whatsappAccount: rec.whatsappAccount ?? null,
      sipAccount: rec.sipAccount ?? null,
      caller: rec.caller,
      destination: rec.destination,
      destinationSource: rec.destinationSource ?? null,
      startedAt: rec.startedAt === undefined ? now : toEpochMs(rec.startedAt, `call ${rec.callId} startedAt`),
      updatedAt: now,
    });
    return id;
  }

  /** Records what became known during the call (ringing, answer, codec, RTP counters...). */
  update(id: string, patch: CallUpdate): void {
    const changes = this.write(id, this.assignments(id, patch));
    if (changes === 0) throw new Error(`call log: no record ${id} to update`);
  }

  /**
   * Completes the record. Returns false when it was already complete (a call ends once; a second
   * report of its end changes nothing). Throws for an unknown record.
   */
  finish(id: string, end: CallEnd): boolean {
    const row = this.getStmt.get(id);
    if (!row) throw new Error(`call log: no record ${id} to finish`);
    if (row.ended_at !== null) return false;
    checkOneOf(end.outcome, CALL_LOG_OUTCOMES, `record ${id} outcome`);
    if (end.hangupSide != null) checkOneOf(end.hangupSide, HANGUP_SIDES, `record ${id} hangupSide`);
    const endedAt = end.endedAt === undefined ? this.now() : toEpochMs(end.endedAt, `record ${id} endedAt`);
    const answeredAt =
      end.answeredAt === undefined ? row.answered_at : end.answeredAt === null ? null : toEpochMs(end.answeredAt, `record ${id} answeredAt`);
    const billedUntil = end.billedUntil == null ? endedAt : Math.min(endedAt, toEpochMs(end.billedUntil, `record ${id} billedUntil`));
    const assignments = this.assignments(id, { ...end, endReason: end.endReason ?? null });
    assignments.push(
      ['ended_at = ?', endedAt],
      ['duration_ms = ?', Math.max(0, endedAt - row.started_at)],
      ['billable_s = ?', billableSeconds(answeredAt, billedUntil)],
      ['outcome = ?', end.outcome],
      ['sip_code = ?', end.sipCode ?? null],
      ['hangup_side = ?', end.hangupSide ?? null],
      ['policy_rule = ?', end.policyRule ?? null],
    );
    // The guard on ended_at keeps two racing finishes from both writing.
    const done = this.write(id, assignments, 'AND ended_at IS NULL') > 0;
    if (done && this.finishedListeners.size > 0) {
      const record = this.get(id)!;
      for (const listener of this.finishedListeners) listener(record);
    }
    return done;
  }

  /** Calls `listener` with each record as it is completed (the call-record webhook); returns the unsubscribe. */
  onFinished(listener: (record: CallRecord) => void): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  /**
   * Marks every open record alive now: a station that dies mid-call leaves each record's `updated_at`
   * within one heartbeat of the crash, which is what {@link recoverInterrupted} takes as its end. One
   * statement over the partial index of open records, so it costs the same with no call as with many.
   * Returns how many records it touched.
   */
  heartbeat(now: number = this.now()): number {
    return this.heartbeatStmt.run(now, now).changes;
  }

  /**
   * Runs {@link heartbeat} every `intervalMs` until the returned function is called. The timer does not
   * hold the process open.
   */
  startHeartbeat(intervalMs: number = HEARTBEAT_MS): () => void {
    const timer = setInterval(() => this.heartbeat(), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Closes the records a killed station left open (started at or before `now`): outcome 'interrupted',
   * hung up by the station, ended at their last write or heartbeat (within {@link HEARTBEAT_MS} of the
   * crash), marked `endApproximate`. Call it once at station start, before any call. Returns how many
   * it closed.
   */
  recoverInterrupted(now: number = this.now()): number {
    const close = this.db.transaction(() => {
      const open = this.openStmt.all(now);
      for (const row of open) {
        const endedAt = Math.max(row.updated_at, row.started_at, row.ringing_at ?? 0, row.answered_at ?? 0);
        this.write(
          row.id,
          [
            ['ended_at = ?', endedAt],
            ['duration_ms = ?', endedAt - row.started_at],
            ['billable_s = ?', billableSeconds(row.answered_at, endedAt)],
            ['outcome = ?', 'interrupted'],
            ['hangup_side = ?', 'station'],
            ['end_approximate = ?', 1],
          ],
          'AND ended_at IS NULL',
          row.updated_at,
        );
      }
      return open.length;
    });
    return close();
  }

  /**
   * Files the records of a phone made while it had no line of its own (a test dial in the demo, before
   * a PBX was connected: the line's id was the phone's serial then) under the line the phone now belongs
   * to, so the log, its filters and the per-line figures keep one identity per line. Returns how many
   * records moved.
   */
  adoptPhoneRecords(lines: ReadonlyArray<{ id: string; serial: string }>): number {
    const called = this.db.prepare('UPDATE call_records SET line_id = ? WHERE line_id = ?');
    const carried = this.db.prepare('UPDATE call_records SET carrier_line_id = ? WHERE carrier_line_id = ?');
    const adopt = this.db.transaction(() => {
      let moved = 0;
      for (const { id, serial } of lines) {
        if (id === serial) continue;
        moved += called.run(id, serial).changes;
        carried.run(id, serial);
      }
      return moved;
    });
    return adopt();
  }

  get(id: string): CallRecord | undefined {
    const row = this.getStmt.get(id);
    return row && rowToRecord(row);
  }

  /** Newest first, one page at a time (call-query.ts). */
  /**
   * What the charts show over the filter: totals, figures per line and a series per hour or day. Without
   * a range the series covers the last 30 days (day) or 48 hours (hour).
   */
  stats(filter: CallFilter, bucket: Bucket): { total: CallStats; lines: LineStats[]; series: SeriesPoint[] } {
    const to = filter.to ?? this.now();
    const span = bucket === 'day' ? 30 * 86_400_000 : 48 * 3_600_000;
    const from = filter.from ?? Number(to) - span;
    const buckets = (Number(to) - Number(from)) / (bucket === 'day' ? 86_400_000 : 3_600_000);
    if (buckets > MAX_BUCKETS) throw new Error(`the range covers ${Math.ceil(buckets)} ${bucket}s; a chart shows at most ${MAX_BUCKETS}`);
    return { total: totalStats(this.db, filter), lines: lineStats(this.db, filter), series: timeSeries(this.db, { ...filter, from, to }, bucket) };
  }

  query(filter: CallFilter = {}, page: PageRequest = {}): CallPage {
    return queryCalls(this.db, filter, page);
  }

  /**
   * Deletes completed records of calls started more than `olderThanDays` days before `now`; open
   * records are kept whatever their age. Returns how many were deleted.
   */
  prune(olderThanDays: number, now: number = this.now()): number {
    if (!Number.isFinite(olderThanDays) || olderThanDays < 0) {
      throw new Error(`call log: cannot prune records older than ${olderThanDays} days (must be 0 or more)`);
    }
    const cutoff = now - olderThanDays * DAY_MS;
    let deleted = 0;
    for (;;) {
      const n = this.pruneStmt.run(cutoff, PRUNE_BATCH).changes;
      deleted += n;
      if (n < PRUNE_BATCH) return deleted;
    }
  }

  /** Forgets the recording files retention deleted: their records no longer link them. Returns the records changed. */
  unlinkRecordings(files: readonly string[]): number {
    const unlink = this.db.prepare('UPDATE call_records SET recording = NULL WHERE recording = ?');
    return this.db.transaction(() => files.reduce((n, f) => n + unlink.run(f).changes, 0))();
  }

  /** The assignments of an update; validates as it goes. */
  private assignments(id: string, patch: CallUpdate): Assignment[] {
    const out: Assignment[] = [];
    const time = (at: CallUpdate['ringingAt'], what: string) => (at == null ? null : toEpochMs(at, `record ${id} ${what}`));
    if (patch.sipCallId !== undefined) out.push(['sip_call_id = ?', patch.sipCallId]);
    if (patch.carrierLineId !== undefined) out.push(['carrier_line_id = ?', patch.carrierLineId]);
    if (patch.deviceSerial !== undefined) out.push(['device_serial = ?', patch.deviceSerial]);
    if (patch.whatsappAccount !== undefined) out.push(['whatsapp_account = ?', patch.whatsappAccount]);
    if (patch.destination !== undefined) out.push(['destination = ?', patch.destination]);
    if (patch.destinationSource !== undefined) {
      if (patch.destinationSource !== null) checkOneOf(patch.destinationSource, DESTINATION_SOURCES, `record ${id} destinationSource`);
      out.push(['destination_source = ?', patch.destinationSource]);
    }
    if (patch.answeredAt !== undefined) out.push(['answered_at = ?', time(patch.answeredAt, 'answeredAt')]);
    if (patch.codec !== undefined) out.push(['codec = ?', patch.codec]);
    if (patch.endCause !== undefined) {
      if (patch.endCause !== null) checkOneOf(patch.endCause, CALL_END_CAUSES, `record ${id} endCause`);
      out.push(['end_cause = ?', patch.endCause]);
    }
    if (patch.endReason !== undefined) out.push(['end_reason = ?', patch.endReason]);
    if (patch.recording !== undefined) out.push(['recording = ?', patch.recording]);
    if (patch.rtp !== undefined) {
      const r = patch.rtp;
      out.push(
        ['rtp_packets_sent = ?', r?.packetsSent ?? null],
        ['rtp_packets_received = ?', r?.packetsReceived ?? null],
        ['rtp_packets_lost = ?', r?.lost ?? null],
        ['rtp_jitter_ms = ?', r?.jitterMs ?? null],
      );
    }
    if (patch.ringingAt !== undefined) {
      const ringingAt = time(patch.ringingAt, 'ringingAt');
      out.push(['ringing_at = ?', ringingAt]);
      // INVITE to ring, unless the caller knows better (see CallUpdate.postDialDelayMs).
      if (patch.postDialDelayMs === undefined && ringingAt !== null) {
        out.push(['post_dial_delay_ms = COALESCE(post_dial_delay_ms, MAX(0, ? - started_at))', ringingAt]);
      }
    }
    if (patch.postDialDelayMs !== undefined) out.push(['post_dial_delay_ms = ?', patch.postDialDelayMs]);
    return out;
  }

  /** Runs one UPDATE of the record (and its updated_at); returns the rows changed. */
  private write(id: string, assignments: Assignment[], guard = '', updatedAt = this.now()): number {
    const sets = [...assignments.map(([sql]) => sql), 'updated_at = ?'];
    const key = `${sets.join(',')}|${guard}`;
    let stmt = this.updateStmts.get(key);
    if (!stmt) {
      stmt = this.db.prepare(`UPDATE call_records SET ${sets.join(', ')} WHERE id = ? ${guard}`);
      this.updateStmts.set(key, stmt);
    }
    return stmt.run(...assignments.map(([, value]) => value), updatedAt, id).changes;
  }
}
