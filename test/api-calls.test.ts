/**
 * The call log over the HTTP API: paging with filters, a bad filter refused with its name, and a CSV
 * download a spreadsheet opens (BOM, header, one row per call).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../electron/station/server/http-server';
import { CallLog } from '../electron/station/calllog/call-log';
import { insertSyntheticCalls } from '../electron/station/calllog/synthetic-calls';
import { openDatabase, type Db } from '../electron/station/util/sqlite';

let db: Db;
let api: ApiServer;
const DAY = 86_400_000;

type Page = { records: Array<{ outcome: string; startedAt: string; lineId: string }>; nextCursor: string };
const page = async (query: string): Promise<Page> => (await (await fetch(`${api.url}/api/calls?${query}`)).json()) as Page;
const from = Date.parse('2026-11-01T00:00:00Z');

beforeAll(async () => {
  db = openDatabase(join(mkdtempSync(join(tmpdir(), 'sip2wa-api-')), 'station.db'));
  const callLog = new CallLog(db);
  insertSyntheticCalls(db, { count: 500, from, spanMs: 10 * DAY, lines: 4 });
  api = await startApiServer({ lines: () => [], callLog, db });
});

afterAll(async () => {
  await api?.close();
  db?.close();
});

describe('call log API', () => {
  it('pages through calls newest first, filtered by line and outcome', async () => {
    const first = await page('limit=20&outcome=answered');
    expect(first.records).toHaveLength(20);
    expect(first.records.every((r) => r.outcome === 'answered')).toBe(true);
    const starts = first.records.map((r) => Date.parse(r.startedAt));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    const next = await page(`limit=20&outcome=answered&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(Date.parse(next.records[0]!.startedAt)).toBeLessThanOrEqual(starts.at(-1)!);
    const line = first.records[0]!.lineId;
    const byLine = await page(`limit=50&line=${line}`);
    expect(byLine.records.every((r) => r.lineId === line)).toBe(true);
  });

  it('refuses a bad filter naming the parameter', async () => {
    const res = await fetch(`${api.url}/api/calls?outcome=maybe`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^outcome: "maybe" is not one of answered/);
    expect((await fetch(`${api.url}/api/calls?from=yesterday`)).status).toBe(400);
  });

  it('downloads the filtered calls as CSV', async () => {
    const res = await fetch(`${api.url}/api/calls/export?format=csv&from=${from + 2 * DAY}&to=${from + 4 * DAY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="sip2wa-calls.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes.toString('utf8').slice(1).trim().split('\r\n');
    const expected = (await page(`limit=500&from=${from + 2 * DAY}&to=${from + 4 * DAY}`)).records.length;
    expect(rows.length - 1).toBe(expected);
    expect(rows[0]).toMatch(/started/);
  });
});
