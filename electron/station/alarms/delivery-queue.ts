/**
 * The outbox: every alarm, clear and call record waiting for a receiver, in the station's SQLite file,
 * so a receiver that is down loses nothing, across a restart too. One row per delivery and receiver,
 * delivered oldest first; a row leaves the table only when it was delivered or failed for good.
 *
 * Bounded per receiver: when a receiver's queue is full the oldest deliveries are dropped, and the drop
 * itself becomes a delivery ("N deliveries dropped") that goes out before the rest when the receiver is
 * back. Repeated drops add to the one notice still waiting rather than queue another.
 */
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { migrate, type Db } from '../util/sqlite';

const MIGRATIONS = [
  `CREATE TABLE alarm_outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     receiver TEXT NOT NULL,
     delivery_id TEXT NOT NULL,
     what TEXT NOT NULL,
     body TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     last_error TEXT
   );
   CREATE INDEX alarm_outbox_by_receiver ON alarm_outbox (receiver, seq);`,
];

/** What a delivery carries: an alarm's raise or clear, a call record, or the notice of a drop. */
export type DeliveryWhat = 'alarm' | 'call-record' | 'dropped';

export interface QueuedDelivery {
  seq: number;
  receiver: string;
  /** Stays the same across retries (the X-Sip2wa-Delivery header). */
  deliveryId: string;
  what: DeliveryWhat;
  body: string;
  attempts: number;
  nextAt: number;
  createdAt: number;
  lastError: string | null;
}

interface Row {
  seq: number;
  receiver: string;
  delivery_id: string;
  what: DeliveryWhat;
  body: string;
  attempts: number;
  next_at: number;
  created_at: number;
  last_error: string | null;
}

const fromRow = (r: Row): QueuedDelivery => ({
  seq: r.seq,
  receiver: r.receiver,
  deliveryId: r.delivery_id,
  what: r.what,
  body: r.body,
  attempts: r.attempts,
  nextAt: r.next_at,
  createdAt: r.created_at,
  lastError: r.last_error,
});

/** The body of a drop notice; `dropped` grows while the notice waits. */
export interface DropNotice {
  type: 'dropped';
  station: string;
  receiver: string;
  dropped: number;
  /** What was dropped, oldest first: the first and last creation times. */
  oldestDroppedAt: string;
  newestDroppedAt: string;
  reason: string;
  time: string;
}

export class DeliveryQueue {
  private readonly insert: Statement;
  private readonly headStmt: Statement<[string], Row>;
  private readonly countStmt: Statement<[string], { n: number }>;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    migrate(db, 'alarm-outbox', MIGRATIONS);
    this.insert = db.prepare('INSERT INTO alarm_outbox (receiver, delivery_id, what, body, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    // A drop notice goes first: the receiver learns what it missed before the rest arrives.
    this.headStmt = db.prepare("SELECT * FROM alarm_outbox WHERE receiver = ? ORDER BY what = 'dropped' DESC, seq LIMIT 1");
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM alarm_outbox WHERE receiver = ?');
  }

  /**
   * Queues a delivery for `receiver`, keeping at most `limit` rows for it (the drop notice included):
   * returns how many of its oldest deliveries were dropped to make room (0 mostly).
   */
  push(receiver: string, what: Exclude<DeliveryWhat, 'dropped'>, body: string, limit: number, station: string): number {
    const now = this.clock();
    return this.db.transaction(() => {
      const notice = this.db.prepare("SELECT * FROM alarm_outbox WHERE receiver = ? AND what = 'dropped'").get(receiver) as Row | undefined;
      // Room for this delivery and, if one must be added, the notice of the drop.
      const count = this.countStmt.get(receiver)!.n;
      const over = count + 1 + (notice ? 0 : 1) - limit;
      let dropped = 0;
      if (count + 1 > limit) {
        const victims = this.db
          .prepare("SELECT seq, created_at FROM alarm_outbox WHERE receiver = ? AND what != 'dropped' ORDER BY seq LIMIT ?")
          .all(receiver, Math.max(1, over)) as { seq: number; created_at: number }[];
        const del = this.db.prepare('DELETE FROM alarm_outbox WHERE seq = ?');
        for (const v of victims) del.run(v.seq);
        dropped = victims.length;
        if (dropped > 0) this.noteDrop(receiver, notice, dropped, victims[0]!.created_at, victims.at(-1)!.created_at, limit, station, now);
      }
      this.insert.run(receiver, randomUUID(), what, body, now, now);
      return dropped;
    })();
  }

  private noteDrop(receiver: string, notice: Row | undefined, dropped: number, oldest: number, newest: number, limit: number, station: string, now: number): void {
    const reason = `the queue for receiver ${receiver} was full (${limit} deliveries): the oldest were dropped`;
    if (notice) {
      const body = JSON.parse(notice.body) as DropNotice;
      const next: DropNotice = { ...body, dropped: body.dropped + dropped, newestDroppedAt: new Date(newest).toISOString(), time: new Date(now).toISOString() };
      this.db.prepare('UPDATE alarm_outbox SET body = ? WHERE seq = ?').run(JSON.stringify(next), notice.seq);
      return;
    }
    const body: DropNotice = {
      type: 'dropped',
      station,
      receiver,
      dropped,
      oldestDroppedAt: new Date(oldest).toISOString(),
      newestDroppedAt: new Date(newest).toISOString(),
      reason,
      time: new Date(now).toISOString(),
    };
    this.insert.run(receiver, randomUUID(), 'dropped', JSON.stringify(body), now, now);
  }

  /** The receiver's next delivery (drop notice first, then oldest first), or null. */
  head(receiver: string): QueuedDelivery | null {
    const row = this.headStmt.get(receiver);
    return row ? fromRow(row) : null;
  }

  /** Delivered, or failed for good: it leaves the queue. */
  remove(seq: number): void {
    this.db.prepare('DELETE FROM alarm_outbox WHERE seq = ?').run(seq);
  }

  /** Failed for now: tried again at `nextAt`. */
  retryAt(seq: number, nextAt: number, error: string): void {
    this.db.prepare('UPDATE alarm_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE seq = ?').run(nextAt, error, seq);
  }

  /** A start is a good moment to try again: every waiting delivery is due now. */
  dueNow(): void {
    this.db.prepare('UPDATE alarm_outbox SET next_at = ? WHERE next_at > ?').run(this.clock(), this.clock());
  }

  count(receiver: string): number {
    return this.countStmt.get(receiver)!.n;
  }

  /** Every delivery waiting for the receiver, in delivery order (tests, the console's counts). */
  list(receiver: string): QueuedDelivery[] {
    const rows = this.db.prepare("SELECT * FROM alarm_outbox WHERE receiver = ? ORDER BY what = 'dropped' DESC, seq").all(receiver) as Row[];
    return rows.map(fromRow);
  }
}
