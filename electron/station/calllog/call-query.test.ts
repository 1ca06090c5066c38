import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../util/sqlite';
import { CallLog } from './call-log';
import { countCalls, encodeCursor, pageQuery, queryCalls } from './call-query';
import type { CallFilter, CallRecord } from './call-record';
import { insertSyntheticCalls } from './synthetic-calls';

const T0 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'calllog-query-'));
  db = openDatabase(join(dir, 'station.db'));
  // 3,000 calls over 30 days on 4 lines, plus two whose numbers hold LIKE's wildcards.
  insertSyntheticCalls(db, { count: 3_000, from: T0, spanMs: 30 * 24 * HOUR, lines: 4, seed: 7 });
  const log = new CallLog(db);
  for (const [callId, destination] of [['odd1', '4917%99'], ['odd2', '4917_99']] as const) {
    log.start({ callId, direction: 'sip-to-whatsapp', lineId: 'wa9', caller: '209', destination, startedAt: T0 + 5 * HOUR });
  }
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every record the filter selects, page by page. */
function pageThrough(filter: CallFilter, limit: number): { records: CallRecord[]; pages: number } {
  const records: CallRecord[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = queryCalls(db, filter, { limit, cursor });
    records.push(...page.records);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { records, pages };
}

describe('call history queries', () => {
  it('pages newest first through every record exactly once', () => {
    const { records, pages } = pageThrough({}, 100);
    expect(records).toHaveLength(3_002);
    expect(pages).toBe(31);
    expect(new Set(records.map((r) => r.id)).size).toBe(3_002);
    const starts = records.map((r) => Date.parse(r.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('does not shift later pages when calls arrive while the operator pages', () => {
    const first = queryCalls(db, { lineId: 'wa1' }, { limit: 10 });
    const log = new CallLog(db);
    const id = log.start({ callId: 'late', direction: 'sip-to-whatsapp', lineId: 'wa1', caller: '201', destination: '4917011', startedAt: T0 + 31 * 24 * HOUR });
    const second = queryCalls(db, { lineId: 'wa1' }, { limit: 10, cursor: first.nextCursor });
    const all = pageThrough({ lineId: 'wa1' }, 1_000).records;
    expect(second.records.map((r) => r.id)).toEqual(all.slice(11, 21).map((r) => r.id));
    db.prepare('DELETE FROM call_records WHERE id = ?').run(id);
  });

  it('filters by date range, line, direction, outcome and number, and pages the result', () => {
    const filter: CallFilter = {
      from: T0 + 24 * HOUR,
      to: new Date(T0 + 8 * 24 * HOUR),
      lineId: ['wa2', 'wa3'],
      direction: 'sip-to-whatsapp',
      outcome: ['answered', 'busy'],
    };
    const { records } = pageThrough(filter, 25);
    expect(records.length).toBeGreaterThan(100);
    expect(records.length).toBe(countCalls(db, filter));
    for (const r of records) {
      expect(Date.parse(r.startedAt)).toBeGreaterThanOrEqual(T0 + 24 * HOUR);
      expect(Date.parse(r.startedAt)).toBeLessThan(T0 + 8 * 24 * HOUR);
      expect(['wa2', 'wa3']).toContain(r.lineId);
      expect(r.direction).toBe('sip-to-whatsapp');
      expect(['answered', 'busy']).toContain(r.outcome);
    }
  });

  it('matches part of the caller or the destination, wildcards taken literally', () => {
    const someone = queryCalls(db, { direction: 'whatsapp-to-sip' }, { limit: 1 }).records[0]!;
    const part = someone.caller.slice(3, 10);
    const found = pageThrough({ number: part }, 100).records;
    expect(found.map((r) => r.id)).toContain(someone.id);
    expect(found.every((r) => r.caller.includes(part) || r.destination.includes(part))).toBe(true);
    expect(queryCalls(db, { number: '%' }).records.map((r) => r.callId)).toEqual(['odd1']);
    expect(queryCalls(db, { number: '7_9' }).records.map((r) => r.callId)).toEqual(['odd2']);
  });

  it('reads a page on the index, without sorting the table', () => {
    const plan = (filter: CallFilter) => {
      const { sql, params } = pageQuery(filter, { cursor: encodeCursor({ startedAt: T0 + 10 * 24 * HOUR, id: 'z' }) });
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    };
    expect(plan({})).toMatch(/USING INDEX call_records_started/);
    expect(plan({ lineId: 'wa2' })).toMatch(/USING INDEX call_records_line_started/);
    // A line filter also matches the line that carried a hunted call, on that column's own index.
    expect(plan({ lineId: 'wa2' })).toMatch(/USING INDEX call_records_carrier_started/);
    expect(plan({ from: T0, direction: 'echo-test' })).toMatch(/USING INDEX call_records_started/);
    for (const filter of [{}, { from: T0, direction: 'echo-test' as const }]) expect(plan(filter)).not.toMatch(/TEMP B-TREE/);
    // Each half seeks its index to the cursor and stops after a page; only those rows are merged.
    const byLine = plan({ lineId: 'wa2' });
    expect(byLine).toContain('SEARCH call_records USING INDEX call_records_line_started (line_id=? AND (started_at,id)<(?,?))');
    expect(byLine).toContain('SEARCH call_records USING INDEX call_records_carrier_started (carrier_line_id=? AND (started_at,id)<(?,?))');
    expect(byLine).not.toMatch(/SCAN call_records/);
  });

  it('refuses a cursor it did not issue and a page size out of range', () => {
    expect(() => queryCalls(db, {}, { cursor: 'bm9wZQ' })).toThrow('call log: page cursor "bm9wZQ" is not one this station issued');
    expect(() => queryCalls(db, {}, { limit: 0 })).toThrow('call log: page size 0 is not a whole number from 1 to 1000');
    expect(() => queryCalls(db, { outcome: 'lost' as never })).toThrow('call log: filter.outcome "lost" is not one of');
  });
});
