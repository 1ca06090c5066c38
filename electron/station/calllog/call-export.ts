/**
 * Exports call records as CSV, as a JSON array, or as Asterisk's Master.csv (asterisk-csv.ts), streamed: rows come one at a time from a
 * better-sqlite3 `.iterate()` and go to the Writable in 64 KiB chunks, waiting for 'drain' whenever it
 * says its buffer is full, so a million records take the memory of one chunk whatever the destination's
 * speed (an HTTP response to a slow browser, a file).
 *
 * The rows are read on a second, read-only connection: a statement being iterated keeps its
 * connection busy, and the station's own connection must stay free to log the calls that start and end
 * while the export runs. WAL gives that reader a snapshot as of the export's start.
 */
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import type { Db } from '../util/sqlite';
import { filterToWhere } from './call-filter';
import { rowToRecord, type CallRow } from './call-log-schema';
import type { CallFilter, CallRecord } from './call-record';
import { countCalls } from './call-query';
import { asteriskRow } from './asterisk-csv';
import { BOM, csvRow } from './csv';

/** `asterisk`: Master.csv columns, no header (asterisk-csv.ts). */
export const EXPORT_FORMATS = ['csv', 'json', 'asterisk'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** For an HTTP response carrying an export. */
export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
  asterisk: 'text/csv; charset=utf-8; header=absent',
};

/** The file name an export is saved under by default (Master.csv is Asterisk's name for its file). */
export const EXPORT_FILE_SUFFIXES: Record<ExportFormat, string> = { csv: '.csv', json: '.json', asterisk: '-Master.csv' };

export interface ExportProgress {
  rows: number;
  /** Records the filter selected when the export started. */
  total: number;
}

export interface ExportResult {
  rows: number;
  bytes: number;
}

/** The CSV columns, in order: header and value. Times are ISO 8601 UTC, as in the JSON export. */
const CSV_COLUMNS: ReadonlyArray<readonly [string, (r: CallRecord) => string | number | null]> = [
  ['id', (r) => r.id],
  ['call_id', (r) => r.callId],
  ['sip_call_id', (r) => r.sipCallId],
  ['direction', (r) => r.direction],
  ['line_id', (r) => r.lineId],
  ['carrier_line_id', (r) => r.carrierLineId],
  ['device_serial', (r) => r.deviceSerial],
  ['whatsapp_account', (r) => r.whatsappAccount],
  ['sip_account', (r) => r.sipAccount],
  ['caller', (r) => r.caller],
  ['destination', (r) => r.destination],
  ['destination_source', (r) => r.destinationSource],
  ['started_at', (r) => r.startedAt],
  ['ringing_at', (r) => r.ringingAt],
  ['answered_at', (r) => r.answeredAt],
  ['ended_at', (r) => r.endedAt],
  ['end_approximate', (r) => (r.endApproximate ? 1 : 0)],
  ['duration_s', (r) => r.durationSeconds],
  ['billable_s', (r) => r.billableSeconds],
  ['sip_code', (r) => r.sipCode],
  ['outcome', (r) => r.outcome],
  ['hangup_side', (r) => r.hangupSide],
  ['policy_rule', (r) => r.policyRule],
  ['codec', (r) => r.codec],
  ['rtp_packets_sent', (r) => r.rtp?.packetsSent ?? null],
  ['rtp_packets_received', (r) => r.rtp?.packetsReceived ?? null],
  ['rtp_packets_lost', (r) => r.rtp?.lost ?? null],
  ['rtp_jitter_ms', (r) => r.rtp?.jitterMs ?? null],
  ['post_dial_delay_ms', (r) => r.postDialDelayMs],
  ['end_reason', (r) => r.endReason],
  ['end_cause', (r) => r.endCause],
  ['recording', (r) => r.recording],
];
/** The station that made the records, so the records of several stations can be merged. */
const STATION_COLUMN = 'station_id';

export const CSV_HEADER = [...CSV_COLUMNS.map(([name]) => name), STATION_COLUMN];

interface Framing {
  head: string;
  /** The record's text; null leaves it out (Master.csv has finished calls only). */
  row: (r: CallRecord, index: number) => string | null;
  tail: string;
}

/** Each format's framing; every record carries the station's id. */
function framings(stationId: string): Record<ExportFormat, Framing> {
  return {
    csv: { head: BOM + csvRow(CSV_HEADER), row: (r) => csvRow([...CSV_COLUMNS.map(([, value]) => value(r)), stationId]), tail: '' },
    json: { head: '[\n', row: (r, i) => (i === 0 ? '' : ',\n') + JSON.stringify({ ...r, stationId }), tail: '\n]\n' },
    asterisk: { head: '', row: (r) => asteriskRow(r, stationId), tail: '' },
  };
}


/** Bytes gathered before a write: large enough that write() calls cost nothing, small enough to hold. */
const CHUNK_BYTES = 64 * 1024;
const PROGRESS_EVERY = 5_000;

/** Resolves when the writable drains; rejects if it fails or closes first. */
function drained(w: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      w.off('drain', onDrain);
      w.off('error', onError);
      w.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (err: Error) => settle(new Error(`call export: the destination failed: ${err.message}`, { cause: err }));
    const onClose = () => settle(new Error('call export: the destination closed before the export finished'));
    w.on('drain', onDrain);
    w.on('error', onError);
    w.on('close', onClose);
  });
}

/** A read-only connection to the same file; an in-memory database has only the one it has. */
function openReader(db: Db): { reader: Db; close: () => void } {
  if (db.memory) return { reader: db, close: () => {} };
  const reader = new Database(db.name, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  return { reader, close: () => reader.close() };
}

/**
 * Writes the records the filter selects, oldest first, to `out` as CSV (BOM, header row, CRLF), a
 * JSON array of `CallRecord` (each with `stationId`) or Master.csv lines, then ends `out` and waits
 * until it has flushed. Rejects if `out` fails
 * or closes early (a browser that gave up); `out` is then left to its owner.
 */
export async function exportCalls(
  db: Db,
  filter: CallFilter,
  format: ExportFormat,
  out: Writable,
  onProgress?: (p: ExportProgress) => void,
  /** The configured station id (config/schema.ts `stationIdOf`); the host name when absent. */
  stationId: string = hostname(),
): Promise<ExportResult> {
  const framing = Object.hasOwn(EXPORT_CONTENT_TYPES, format) ? framings(stationId)[format] : undefined;
  if (!framing) throw new Error(`call export: format "${String(format)}" is not one of ${EXPORT_FORMATS.join(', ')}`);
  const where = filterToWhere(filter);
  const { reader, close } = openReader(db);
  let rows = 0;
  let bytes = 0;
  try {
    const total = onProgress ? countCalls(reader, filter) : 0;
    let chunk = framing.head;
    const flush = async () => {
      if (out.destroyed || out.writableEnded) throw new Error('call export: the destination closed before the export finished');
      bytes += Buffer.byteLength(chunk);
      const more = out.write(chunk);
      chunk = '';
      if (!more) await drained(out);
    };
    const stmt = reader.prepare(`SELECT * FROM call_records ${where.sql} ORDER BY started_at, id`);
    // for...of closes the iterator (and frees the statement) if a write fails and we leave early.
    for (const row of stmt.iterate(...where.params) as IterableIterator<CallRow>) {
      const text = framing.row(rowToRecord(row), rows);
      if (text === null) continue;
      chunk += text;
      rows++;
      if (chunk.length >= CHUNK_BYTES) await flush();
      if (onProgress && rows % PROGRESS_EVERY === 0) onProgress({ rows, total });
    }
    chunk += framing.tail;
    await flush();
    out.end();
    await finished(out);
    onProgress?.({ rows, total });
    return { rows, bytes };
  } finally {
    close();
  }
}
