import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../util/sqlite';
import { CallLog } from './call-log';
import { ASTERISK_COLUMNS } from './asterisk-csv';
import { CSV_HEADER, exportCalls, type ExportProgress } from './call-export';
import type { CallStart } from './call-record';
import { insertSyntheticCalls } from './synthetic-calls';

const T0 = Date.UTC(2025, 0, 1);
const TRICKY_RULE = 'night, "weekend"\nhours';

let dir: string;
let db: Db;
let log: CallLog;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calllog-export-'));
  db = openDatabase(join(dir, 'station.db'));
  log = new CallLog(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A sink that keeps what it is given; `slow` completes each write on a later turn, like a socket. */
function collector(options: { slow?: boolean; highWaterMark?: number; onWrite?: (w: Writable) => void } = {}) {
  const chunks: Buffer[] = [];
  const sink: Writable = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      options.onWrite?.(sink);
      if (options.slow) setImmediate(done);
      else done();
    },
  });
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** RFC 4180 parser, strict enough to catch a stray quote or a bare line break (Master.csv ends lines with LF). */
function parseCsv(text: string, eol: '\r\n' | '\n' = '\r\n'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      for (i++; !(text[i] === '"' && text[i + 1] !== '"'); i++) {
        if (i >= text.length) throw new Error('unterminated quoted cell');
        cell += text[i];
        if (text[i] === '"') i++;
      }
      i++;
    } else if (text[i] === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (text.startsWith(eol, i)) {
      rows.push([...row, cell]);
      [row, cell] = [[], ''];
      i += eol.length;
    } else if (text[i] === '\n' || text[i] === '\r') {
      throw new Error(`bare line break at ${i}`);
    } else cell += text[i++];
  }
  if (cell || row.length) throw new Error('last row without its line end');
  return rows;
}

function tricky(): CallStart {
  return { callId: 'ct', direction: 'sip-to-whatsapp', lineId: 'wa1', caller: '=HYPERLINK("http://evil.example")', destination: '+4917012345678', startedAt: T0 + 500 };
}

describe('call export', () => {
  it('writes CSV a spreadsheet opens cleanly: BOM, header, CRLF, RFC 4180 quoting, no formulas', async () => {
    insertSyntheticCalls(db, { count: 20, from: T0, spanMs: 60_000, seed: 3 });
    const id = log.start(tricky());
    log.finish(id, { outcome: 'filtered', endedAt: T0 + 520, policyRule: TRICKY_RULE, sipCode: 403 });
    const { sink, text } = collector();
    expect(await exportCalls(db, {}, 'csv', sink)).toMatchObject({ rows: 21 });
    const csv = text();
    expect(csv.startsWith('\uFEFFid,call_id,sip_call_id,direction,line_id,')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual(CSV_HEADER);
    expect(rows).toHaveLength(22);
    expect(rows.every((r) => r.length === CSV_HEADER.length)).toBe(true);
    const cell = (row: string[], name: string) => row[CSV_HEADER.indexOf(name)];
    const row = rows.find((r) => cell(r, 'id') === id)!;
    expect(cell(row, 'policy_rule')).toBe(TRICKY_RULE);
    expect(cell(row, 'caller')).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(cell(row, 'destination')).toBe(`'+4917012345678`);
    expect(cell(row, 'started_at')).toBe('2025-01-01T00:00:00.500Z');
    expect(cell(row, 'sip_code')).toBe('403');
    expect(cell(row, 'answered_at')).toBe('');
    expect(csv).toContain(`"night, ""weekend""\nhours"`);
  });

  it('exports the called line and the line that carried the call, and whether the end is approximate', async () => {
    const hunted = log.start({ ...tricky(), lineId: 'wa2', carrierLineId: 'wa1' });
    log.finish(hunted, { outcome: 'answered', endedAt: T0 + 9_000 });
    const crashed = log.start({ ...tricky(), callId: 'c9', lineId: 'wa3', carrierLineId: 'wa3', startedAt: T0 + 1 });
    log.recoverInterrupted(T0 + 2);
    const csv = collector();
    await exportCalls(db, { lineId: 'wa1' }, 'csv', csv.sink);
    const rows = parseCsv(csv.text().slice(1));
    const cell = (row: string[], name: string) => row[CSV_HEADER.indexOf(name)];
    expect(rows.slice(1).map((r) => [cell(r, 'id'), cell(r, 'line_id'), cell(r, 'carrier_line_id'), cell(r, 'end_approximate')])).toEqual([[hunted, 'wa2', 'wa1', '0']]);
    const json = collector();
    await exportCalls(db, {}, 'json', json.sink);
    const records = JSON.parse(json.text()) as Array<{ id: string; carrierLineId: string; endApproximate: boolean }>;
    expect(records.map((r) => [r.id, r.carrierLineId, r.endApproximate])).toEqual([
      [crashed, 'wa3', true],
      [hunted, 'wa1', false],
    ]);
  });

  it("exports an abnormal end's cause and reason in both formats", async () => {
    const id = log.start(tricky());
    const reason = 'no ACK from the PBX for 32 s: check Record-Route / NAT on the PBX';
    log.finish(id, { outcome: 'answered', answeredAt: T0 + 600, endedAt: T0 + 33_000, endCause: 'no-ack', endReason: reason, billedUntil: T0 + 600 });
    const csv = collector();
    await exportCalls(db, {}, 'csv', csv.sink);
    const rows = parseCsv(csv.text().slice(1));
    const cell = (row: string[], name: string) => row[CSV_HEADER.indexOf(name)];
    expect(rows.slice(1).map((r) => [cell(r, 'end_cause'), cell(r, 'end_reason'), cell(r, 'billable_s')])).toEqual([['no-ack', reason, '0']]);
    const json = collector();
    await exportCalls(db, {}, 'json', json.sink);
    expect(JSON.parse(json.text())).toMatchObject([{ endCause: 'no-ack', endReason: reason, billableSeconds: 0 }]);
  });

  it('writes a JSON array of the records the filter selects, oldest first', async () => {
    insertSyntheticCalls(db, { count: 300, from: T0, spanMs: 3_600_000, lines: 3, seed: 5 });
    const filter = { lineId: 'wa2', outcome: 'answered' as const };
    const { sink, text } = collector();
    const result = await exportCalls(db, filter, 'json', sink, undefined, 'test-station');
    const records = JSON.parse(text());
    expect(records).toEqual(log.query(filter, { limit: 1_000 }).records.reverse().map((r) => ({ ...r, stationId: 'test-station' })));
    expect(result.rows).toBe(records.length);
    expect(result.bytes).toBe(Buffer.byteLength(text()));

    const empty = collector();
    await exportCalls(db, { lineId: 'nobody' }, 'json', empty.sink);
    expect(JSON.parse(empty.text())).toEqual([]);
  });

  it('waits for a slow destination and leaves the station free to log calls meanwhile', async () => {
    insertSyntheticCalls(db, { count: 5_000, from: T0, spanMs: 86_400_000, seed: 9 });
    let maxBuffered = 0;
    let logged = 0;
    const { sink, text } = collector({
      slow: true,
      onWrite: (w) => {
        maxBuffered = Math.max(maxBuffered, w.writableLength);
        // A call starting during the export: the station's connection must not be busy with it.
        log.finish(log.start({ ...tricky(), callId: `live${logged++}`, startedAt: Date.now() }), { outcome: 'busy' });
      },
    });
    const progress: ExportProgress[] = [];
    const result = await exportCalls(db, { to: T0 + 86_400_000 }, 'csv', sink, (p) => progress.push(p));
    expect(result.rows).toBe(5_000);
    expect(parseCsv(text().slice(1))).toHaveLength(5_001);
    expect(logged).toBeGreaterThan(10);
    // One 64 KiB chunk in flight at most: the exporter waited for 'drain' instead of queueing.
    expect(maxBuffered).toBeLessThanOrEqual(70 * 1024);
    expect(progress.map((p) => p.rows)).toEqual([5_000, 5_000]);
    expect(progress.every((p) => p.total === 5_000)).toBe(true);
  });

  it('stops with a reason when the destination goes away, and the database stays usable', async () => {
    insertSyntheticCalls(db, { count: 3_000, from: T0, spanMs: 86_400_000, seed: 4 });
    let writes = 0;
    const { sink } = collector({ slow: true, onWrite: (w) => ++writes === 2 && w.destroy() });
    await expect(exportCalls(db, {}, 'json', sink)).rejects.toThrow('call export: the destination closed before the export finished');
    expect(log.query({}, { limit: 1 }).records).toHaveLength(1);
    await expect(exportCalls(db, {}, 'xml' as never, collector().sink)).rejects.toThrow('call export: format "xml" is not one of csv, json, asterisk');
  });

  it('stamps every record with the station id in CSV and JSON, the host name when none is configured', async () => {
    log.finish(log.start(tricky()), { outcome: 'busy', endedAt: T0 + 900, sipCode: 486 });
    const csv = collector();
    await exportCalls(db, {}, 'csv', csv.sink, undefined, 'office-2');
    const rows = parseCsv(csv.text().slice(1));
    expect(rows[0]!.at(-1)).toBe('station_id');
    expect(rows[1]!.at(-1)).toBe('office-2');
    const json = collector();
    await exportCalls(db, {}, 'json', json.sink);
    expect(JSON.parse(json.text())).toMatchObject([{ stationId: hostname(), outcome: 'busy' }]);
  });

  it("writes Asterisk's Master.csv: its 18 columns in cdr_csv order, quoted text, dispositions, finished calls only", async () => {
    const answered = log.start({ ...tricky(), caller: '1001', sipCallId: 'sip-1', carrierLineId: 'wa2', sipAccount: '2001@pbx' });
    log.finish(answered, { outcome: 'answered', answeredAt: T0 + 2_500, endedAt: T0 + 63_900, sipCode: 200, hangupSide: 'sip' });
    const busy = log.start({ ...tricky(), callId: 'c-busy', caller: 'Ann "the boss"', startedAt: T0 + 70_000 });
    log.finish(busy, { outcome: 'busy', endedAt: T0 + 71_000, sipCode: 486 });
    const refused = log.start({ ...tricky(), callId: 'c-refused', caller: '1002', startedAt: T0 + 80_000 });
    log.finish(refused, { outcome: 'filtered', endedAt: T0 + 80_010, sipCode: 503, policyRule: TRICKY_RULE });
    const notWa = log.start({ ...tricky(), callId: 'c-488', caller: '1002', startedAt: T0 + 90_000 });
    log.finish(notWa, { outcome: 'not-on-whatsapp', endedAt: T0 + 91_000, sipCode: 488 });
    const cancelled = log.start({ ...tricky(), callId: 'c-cancel', caller: '1002', startedAt: T0 + 95_000 });
    log.finish(cancelled, { outcome: 'local-hangup', endedAt: T0 + 99_000, sipCode: 487, hangupSide: 'sip' });
    log.start({ ...tricky(), callId: 'c-live', startedAt: T0 + 100_000 });
    const { sink, text } = collector();
    expect(await exportCalls(db, {}, 'asterisk', sink, undefined, 'office-2')).toMatchObject({ rows: 5 });
    const out = text();
    expect(out.startsWith('"wa1","1001","+4917012345678","sip-to-whatsapp",')).toBe(true);
    const rows = parseCsv(out, '\n');
    expect(rows.every((r) => r.length === ASTERISK_COLUMNS.length)).toBe(true);
    const byColumn = rows.map((r) => Object.fromEntries(ASTERISK_COLUMNS.map((c, i) => [c, r[i]])));
    expect(byColumn[0]).toEqual({
      accountcode: 'wa1',
      src: '1001',
      dst: '+4917012345678',
      dcontext: 'sip-to-whatsapp',
      clid: '"1001" <1001>',
      channel: 'SIP/2001@pbx',
      dstchannel: 'WhatsApp/wa2',
      lastapp: 'Dial',
      lastdata: 'WhatsApp/+4917012345678',
      start: '2025-01-01 00:00:00',
      answer: '2025-01-01 00:00:02',
      end: '2025-01-01 00:01:03',
      duration: '63',
      billsec: '62',
      disposition: 'ANSWERED',
      amaflags: 'DOCUMENTATION',
      uniqueid: 'office-2-ct',
      userfield: 'station=office-2;outcome=answered;sip_code=200',
    });
    expect(byColumn.map((r) => r.disposition)).toEqual(['ANSWERED', 'BUSY', 'CONGESTION', 'FAILED', 'NO ANSWER']);
    expect(byColumn[1]).toMatchObject({ src: 'Ann "the boss"', clid: '"Ann "the boss"" <Ann "the boss">', answer: '', billsec: '0', duration: '1' });
    expect(byColumn[2]!.userfield).toBe(`station=office-2;outcome=filtered;sip_code=503;rule=${TRICKY_RULE}`);
    // Durations are bare integers and every text field is quoted, as cdr_csv writes them.
    expect(out.split('\n')[0]).toMatch(/,"2025-01-01 00:01:03",63,62,"ANSWERED",/);
    expect(out).toContain(',"Ann ""the boss""",');
  });

  it('exports 100,000 records in bounded memory', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    // 1,000 records through the call log, copied 100 times over in SQL: the export is under test here,
    // and this keeps the test to a few seconds.
    insertSyntheticCalls(db, { count: 1_000, from: T0, spanMs: 86_400_000, seed: 11 });
    const columns = (db.pragma('table_info(call_records)') as Array<{ name: string }>).map((c) => c.name);
    const copied = columns.map((c) => (c === 'id' ? `id || '-' || k.n` : c === 'started_at' ? `started_at + k.n * 86400000` : c));
    db.exec(`WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 99)
             INSERT INTO call_records (${columns.join(', ')}) SELECT ${copied.join(', ')} FROM call_records, k`);
    const id = log.start({ ...tricky(), startedAt: T0 + 15 * 86_400_000 });
    log.finish(id, { outcome: 'filtered', policyRule: TRICKY_RULE });

    for (const format of ['csv', 'json'] as const) {
      // Counts rows and looks for the tricky cell without keeping the output.
      let lines = 0;
      let head = '';
      let tail = '';
      let sawTricky = false;
      let peakHeap = 0;
      let chunks = 0;
      collectGarbage();
      const baseHeap = process.memoryUsage().heapUsed;
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          const text = chunk.toString('utf8');
          if (head.length < 1_000) head += text.slice(0, 1_000);
          const window = tail + text;
          lines += window.split(format === 'csv' ? '\r\n' : ',\n').length - tail.split(format === 'csv' ? '\r\n' : ',\n').length;
          sawTricky ||= window.includes(format === 'csv' ? `"night, ""weekend""\nhours"` : JSON.stringify(TRICKY_RULE));
          tail = window.slice(-64);
          // What the export holds on to, not garbage the collector has not got to yet (more of it on a busy
          // machine): the heap is read after a full collection, every 16th chunk.
          if (++chunks % 16 === 0) {
            collectGarbage();
            peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
          }
          done();
        },
      });
      const result = await exportCalls(db, {}, format, sink);
      expect(result.rows).toBe(100_001);
      if (format === 'csv') {
        expect(head.startsWith(`\uFEFF${CSV_HEADER.join(',')}\r\n`)).toBe(true);
        expect(lines).toBe(100_002); // header + rows, each ended by CRLF
      } else {
        expect(head.startsWith('[\n{"id":')).toBe(true);
        expect(lines).toBe(100_000); // separators between 100,001 records
      }
      expect(sawTricky).toBe(true);
      const growthMb = (peakHeap - baseHeap) / 2 ** 20;
      console.log(`${format}: 100,001 records, ${(result.bytes / 2 ** 20).toFixed(1)} MiB in ${chunks} chunks, heap held ${growthMb.toFixed(1)} MiB (the time is in npm run bench)`);
      expect(chunks).toBeGreaterThan(64);
      // Streamed: what the export holds is a small part of what it wrote.
      expect(growthMb).toBeLessThan(result.bytes / 2 ** 20 / 4);
    }
    // Seconds, many more on a busy machine: the limit only stops a hang (npm run bench times the export).
  }, 180_000);
});
