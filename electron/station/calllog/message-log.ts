/**
 * WhatsApp messages seen by the station: received on a line, sent as automatic replies, forwarded by a
 * rule. Kept in the station database so the console can show them after a restart.
 */
import { migrate, type Db } from '../util/sqlite';

export type MessageDirection = 'received' | 'auto-reply' | 'forwarded';

export interface MessageRecord {
  id: number;
  lineId: string;
  direction: MessageDirection;
  /** The other party: the sender of a received message, the recipient otherwise. */
  peer: string;
  name: string;
  text: string;
  at: number;
}

const MIGRATIONS = [
  `CREATE TABLE messages (
     id INTEGER PRIMARY KEY,
     line_id TEXT NOT NULL,
     direction TEXT NOT NULL,
     peer TEXT NOT NULL,
     name TEXT NOT NULL DEFAULT '',
     text TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX messages_line_at ON messages (line_id, at);`,
];

export class MessageLog {
  private readonly insert;

  constructor(private readonly db: Db) {
    migrate(db, 'messages', MIGRATIONS);
    this.insert = db.prepare('INSERT INTO messages (line_id, direction, peer, name, text, at) VALUES (?, ?, ?, ?, ?, ?)');
  }

  record(m: Omit<MessageRecord, 'id'>): number {
    return Number(this.insert.run(m.lineId, m.direction, m.peer, m.name, m.text, m.at).lastInsertRowid);
  }

  /** Newest first. */
  list(filter: { lineId?: string; limit?: number } = {}): MessageRecord[] {
    const rows = this.db
      .prepare(
        `SELECT id, line_id AS lineId, direction, peer, name, text, at FROM messages
         ${filter.lineId ? 'WHERE line_id = @lineId' : ''} ORDER BY at DESC, id DESC LIMIT @limit`,
      )
      .all({ lineId: filter.lineId, limit: filter.limit ?? 100 });
    return rows as MessageRecord[];
  }
}
