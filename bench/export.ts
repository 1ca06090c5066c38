/**
 * Call log bench: 100,000 synthetic records (a busy 16-line station's quarter), exported as CSV and as
 * JSON to a sink that only counts bytes, so the figures are the exporter's own: time, throughput and
 * how much the process grew while exporting (resident set sampled every 5 ms and at every write). Also
 * what the console does with the same records: paging the history and drawing the charts.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { exportCalls, type ExportFormat } from '../electron/station/calllog/call-export';
import { queryCalls } from '../electron/station/calllog/call-query';
import { lineStats, timeSeries } from '../electron/station/calllog/call-stats';
import { insertSyntheticCalls } from '../electron/station/calllog/synthetic-calls';
import { openDatabase, type Db } from '../electron/station/util/sqlite';

const RECORDS = 100_000;
const DAY_MS = 86_400_000;
const MiB = 2 ** 20;

interface ExportFigures {
  format: ExportFormat;
  ms: number;
  bytes: number;
  rssGrowth: number;
}

async function timeExport(db: Db, format: ExportFormat): Promise<ExportFigures> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const sink = new Writable({
    write(_chunk, _enc, done) {
      sample();
      done();
    },
  });
  const timer = setInterval(sample, 5);
  const started = performance.now();
  try {
    const { bytes } = await exportCalls(db, {}, format, sink);
    return { format, ms: performance.now() - started, bytes, rssGrowth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

function timed<T>(work: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
}

export async function runExportBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sip2wa-bench-calllog-'));
  const file = join(dir, 'station.db');
  const db = openDatabase(file);
  try {
    const from = Date.now() - 90 * DAY_MS;
    const insert = timed(() => insertSyntheticCalls(db, { count: RECORDS, from, spanMs: 90 * DAY_MS, lines: 16 }));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const out: string[] = [
      `\nCall log: ${RECORDS.toLocaleString('en')} records (16 lines, 90 days)`,
      `insert (one transaction, start + update + finish each)  ${insert.ms.toFixed(0)} ms   database file ${(statSync(file).size / MiB).toFixed(1)} MiB`,
      'export  records     time ms   size MiB    MiB/s   records/s   peak RSS growth MiB',
    ];
    for (const format of ['csv', 'json'] as const) {
      const f = await timeExport(db, format);
      out.push(
        [
          format.padEnd(6),
          RECORDS.toLocaleString('en').padStart(8),
          f.ms.toFixed(0).padStart(11),
          (f.bytes / MiB).toFixed(1).padStart(10),
          (f.bytes / MiB / (f.ms / 1000)).toFixed(1).padStart(8),
          Math.round(RECORDS / (f.ms / 1000)).toLocaleString('en').padStart(11),
          (f.rssGrowth / MiB).toFixed(1).padStart(21),
        ].join(' '),
      );
    }

    // The history page by page, as the console pages it: every page costs the same.
    let cursor: string | null = null;
    let pages = 0;
    let worstPage = 0;
    const paging = timed(() => {
      do {
        const page = timed(() => queryCalls(db, {}, { limit: 100, cursor }));
        worstPage = Math.max(worstPage, page.ms);
        cursor = page.result.nextCursor;
        pages++;
      } while (cursor);
    });
    const oneLine = timed(() => queryCalls(db, { lineId: 'wa7', outcome: 'answered', number: '0170' }, { limit: 100 }));
    out.push(
      `history: ${pages} pages of 100 in ${paging.ms.toFixed(0)} ms (mean ${(paging.ms / pages).toFixed(2)} ms, worst ${worstPage.toFixed(2)} ms); ` +
        `one line + outcome + number filter, first page ${oneLine.ms.toFixed(2)} ms`,
    );
    const stats = timed(() => lineStats(db, { from, to: from + 90 * DAY_MS }));
    const hourly = timed(() => timeSeries(db, { from: from + 60 * DAY_MS, to: from + 90 * DAY_MS }, 'hour'));
    const daily = timed(() => timeSeries(db, { from, to: from + 90 * DAY_MS }, 'day'));
    out.push(
      `charts: per-line stats over 90 days ${stats.ms.toFixed(1)} ms; ${hourly.result.length} hourly points ${hourly.ms.toFixed(1)} ms; ` +
        `${daily.result.length} daily points ${daily.ms.toFixed(1)} ms`,
    );
    return out.join('\n');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
