/**
 * Call history, newest first, a page at a time with keyset paging: the cursor is the (started_at, id)
 * of the last record shown, and the next page starts strictly after it on the call_records_started
 * index. Page 1,000 costs what page 1 costs, unlike OFFSET, which reads and discards every row before
 * the page; and records arriving while the operator pages do not shift later pages.
 */
import type { Db } from '../util/sqlite';
import { filterToWhere, LINE_COLUMNS } from './call-filter';
import { rowToRecord, type CallRow } from './call-log-schema';
import type { CallFilter, CallRecord } from './call-record';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1_000;

export interface PageRequest {
  /** Records per page, 1..1000; default 50. */
  limit?: number;
  /** `nextCursor` of the previous page; absent for the first page. */
  cursor?: string | null;
}

export interface CallPage {
  records: CallRecord[];
  /** Pass it back for the next page; null on the last page. */
  nextCursor: string | null;
}

interface Cursor {
  startedAt: number;
  id: string;
}

/** Opaque to clients (base64url) so nobody builds one by hand and depends on its shape. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.startedAt}:${c.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const startedAt = Number(text.slice(0, colon));
  const id = text.slice(colon + 1);
  if (colon <= 0 || !Number.isSafeInteger(startedAt) || id === '') {
    throw new Error(`call log: page cursor "${cursor}" is not one this station issued`);
  }
  return { startedAt, id };
}

/** The SQL of one page (limit + 1 rows; see queryCalls), exported so tests can check its plan. */
export function pageQuery(filter: CallFilter, page: PageRequest = {}): { sql: string; params: Array<string | number>; limit: number } {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new Error(`call log: page size ${limit} is not a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const order = 'ORDER BY started_at DESC, id DESC LIMIT ?';
  const half = (lineColumns?: readonly (typeof LINE_COLUMNS)[number][]) => {
    // A row value comparison: SQLite seeks the index straight to the cursor.
    const where = filterToWhere(filter, after ? ['(started_at, id) < (?, ?)'] : [], lineColumns);
    if (after) where.params.push(after.startedAt, after.id);
    // One row more than asked says whether there is a next page without a second query.
    where.params.push(limit + 1);
    return { sql: `SELECT * FROM call_records ${where.sql} ${order}`, params: where.params };
  };
  if (filter.lineId === undefined) return { ...half(), limit };
  // A line matches as the called line or as the carrier: each half reads its own index up to a page,
  // and the union is merged; one OR over both columns would read every record of the line and sort.
  const [called, carried] = LINE_COLUMNS.map((c) => half([c]));
  return {
    sql: `SELECT * FROM (${called!.sql}) UNION SELECT * FROM (${carried!.sql}) ${order}`,
    params: [...called!.params, ...carried!.params, limit + 1],
    limit,
  };
}

export function queryCalls(db: Db, filter: CallFilter = {}, page: PageRequest = {}): CallPage {
  const { sql, params, limit } = pageQuery(filter, page);
  const rows = db.prepare(sql).all(...params) as CallRow[];
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return {
    records: rows.map(rowToRecord),
    nextCursor: more && last ? encodeCursor({ startedAt: last.started_at, id: last.id }) : null,
  };
}

/** How many records the filter selects (for "1-50 of 12,345"). */
export function countCalls(db: Db, filter: CallFilter = {}): number {
  const where = filterToWhere(filter);
  const row = db.prepare(`SELECT COUNT(*) AS n FROM call_records ${where.sql}`).get(...where.params) as { n: number };
  return row.n;
}
