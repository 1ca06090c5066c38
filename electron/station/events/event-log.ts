/**
 * The events panel's memory: what an operator must notice (a registration failing, a phone lost or
 * unauthorized, a policy rule refusing a call), newest last, bounded. Every entry is also logged.
 */
import type { StationLogEntry } from '../api/types';
import { Emitter } from '../util/emitter';
import { createLogger } from '../util/log';

const log = createLogger('events');

export type EventLogEvents = { entry: [StationLogEntry] };

export class EventLog extends Emitter<EventLogEvents> {
  private readonly entries: StationLogEntry[] = [];
  private nextId = 1;

  constructor(
    private readonly capacity = 1000,
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  add(level: StationLogEntry['level'], kind: StationLogEntry['kind'], lineId: string | null, message: string, tag?: string): StationLogEntry {
    const entry: StationLogEntry = { id: this.nextId++, at: new Date(this.clock()).toISOString(), level, kind, lineId, message, ...(tag ? { tag } : {}) };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    log.child(lineId ? { line: lineId } : {})[level](`${kind}: ${message}`);
    this.emit('entry', entry);
    return entry;
  }

  /** The latest `limit` entries, newest first. */
  list(limit = 200): StationLogEntry[] {
    return this.entries.slice(-limit).reverse();
  }
}
