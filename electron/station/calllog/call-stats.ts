/**
 * Per-line statistics and time series for the console's charts, computed in SQL over the same
 * filters as the history (call-filter.ts).
 *
 * - attempts: calls that reached dialling, so every record but those a policy rule filtered (which
 *   never left the station and say nothing about the line); calls in progress count.
 * - ASR (answer-seizure ratio): answered / attempts.
 * - ACD (average call duration): mean answered time (answer to end) of answered calls that ended.
 * - unique numbers: distinct WhatsApp-side numbers dialled or calling, what WhatsApp's own limits on
 *   new contacts count.
 *
 * Echo tests and test dials are left out unless the filter asks for them by direction: they are the
 * operator's checks of the audio path, not traffic.
 *
 * Days and hours are local time (the station's time zone), as the operator reads a chart, so a day
 * bucket is 23 or 25 hours long on daylight-saving changes and hour buckets in +05:30 zones start at
 * half past on the UTC clock. Bucket bounds are computed here and joined in SQL.
 */
import type { Db } from '../util/sqlite';
import { filterToWhere } from './call-filter';
import { FIGURES_LINE_SQL, WHATSAPP_NUMBER_SQL } from './call-log-schema';
import { toEpochMs, type CallFilter, type Instant } from './call-record';

export interface CallStats {
  attempts: number;
  answered: number;
  /** Calls a policy rule stopped (not in attempts). */
  filtered: number;
  /** answered / attempts, 0..1; null without attempts. */
  asr: number | null;
  /** Mean answered seconds; null without answered calls that ended. */
  acdSeconds: number | null;
  uniqueNumbers: number;
}

export interface LineStats extends CallStats {
  lineId: string;
}

export type Bucket = 'hour' | 'day';

export interface SeriesPoint {
  /** The bucket's start (local hour or local midnight). */
  start: string;
  startMs: number;
  calls: number;
  answered: number;
  asr: number | null;
  acdSeconds: number | null;
}

/** A time series covers at most this many buckets (a year of hours): a chart shows no more. */
export const MAX_BUCKETS = 9_000;

const NOT_FILTERED = `outcome IS NOT 'filtered'`;

/**
 * The aggregates over records whose columns carry `prefix`; a record is there when its started_at is
 * (an empty bucket of a LEFT JOIN has NULLs, and NULL IS NOT 'filtered' would count it).
 */
function aggregates(prefix = ''): string {
  const [there, attempt] = [`${prefix}started_at IS NOT NULL`, `${prefix}${NOT_FILTERED}`];
  const answered = `${prefix}answered_at IS NOT NULL`;
  return `
  TOTAL(${there} AND ${attempt}) AS attempts,
  TOTAL(${there} AND ${answered} AND ${attempt}) AS answered,
  TOTAL(${prefix}outcome IS 'filtered') AS filtered,
  AVG(CASE WHEN ${answered} AND ${prefix}ended_at IS NOT NULL THEN ${prefix}ended_at - ${prefix}answered_at END) / 1000.0 AS acd`;
}

interface AggregateRow {
  attempts: number;
  answered: number;
  filtered: number;
  acd: number | null;
}

function statsOf(row: AggregateRow, uniqueNumbers: number): CallStats {
  return {
    attempts: row.attempts,
    answered: row.answered,
    filtered: row.filtered,
    asr: row.attempts > 0 ? row.answered / row.attempts : null,
    acdSeconds: row.acd,
    uniqueNumbers,
  };
}

function statsWhere(filter: CallFilter) {
  return filterToWhere(filter, filter.direction === undefined ? [`direction NOT IN ('echo-test', 'test-dial')`] : []);
}

/** Statistics per line over the filter (usually a date range), lines with no calls left out. */
export function lineStats(db: Db, filter: CallFilter = {}): LineStats[] {
  const where = statsWhere(filter);
  const rows = db
    .prepare(
      `SELECT ${FIGURES_LINE_SQL} AS lineId, ${aggregates()},
         COUNT(DISTINCT CASE WHEN ${NOT_FILTERED} THEN NULLIF(${WHATSAPP_NUMBER_SQL}, '') END) AS uniqueNumbers
       FROM call_records ${where.sql} GROUP BY 1 ORDER BY 1`,
    )
    .all(...where.params) as Array<AggregateRow & { lineId: string; uniqueNumbers: number }>;
  return rows.map((r) => ({ lineId: r.lineId, ...statsOf(r, r.uniqueNumbers) }));
}

/** The same figures over every record the filter takes, all lines together. */
export function totalStats(db: Db, filter: CallFilter = {}): CallStats {
  const where = statsWhere(filter);
  const row = db
    .prepare(
      `SELECT ${aggregates()},
         COUNT(DISTINCT CASE WHEN ${NOT_FILTERED} THEN NULLIF(${WHATSAPP_NUMBER_SQL}, '') END) AS uniqueNumbers
       FROM call_records ${where.sql}`,
    )
    .get(...where.params) as AggregateRow & { uniqueNumbers: number };
  return statsOf(row, row.uniqueNumbers);
}

/** The local day containing `at`: [midnight, next midnight). */
export function localDay(at: Instant = Date.now()): { from: number; to: number } {
  const start = new Date(toEpochMs(at, 'day'));
  start.setHours(0, 0, 0, 0);
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  end.setHours(0, 0, 0, 0);
  return { from: start.getTime(), to: end.getTime() };
}

/** Today's statistics per line (local day), what the line cards show. */
export function todayLineStats(db: Db, now: Instant = Date.now(), filter: Omit<CallFilter, 'from' | 'to'> = {}): LineStats[] {
  return lineStats(db, { ...filter, ...localDay(now) });
}

/** Starts of the local hours or days that cover [from, to). */
export function bucketStarts(from: number, to: number, bucket: Bucket): number[] {
  const starts: number[] = [];
  const d = new Date(from);
  if (bucket === 'day') d.setHours(0, 0, 0, 0);
  else d.setMinutes(0, 0, 0);
  // Hours step in absolute time: a local clock that repeats or skips an hour would stall or jump.
  for (let t = d.getTime(); t < to; ) {
    starts.push(t);
    if (starts.length > MAX_BUCKETS) {
      throw new Error(`call log: a time series by ${bucket} from ${new Date(from).toISOString()} to ${new Date(to).toISOString()} has more than ${MAX_BUCKETS} points; choose a shorter range or days`);
    }
    if (bucket === 'hour') t += 3_600_000;
    else {
      d.setDate(d.getDate() + 1);
      d.setHours(0, 0, 0, 0);
      t = d.getTime();
    }
  }
  return starts;
}

/**
 * Calls, ASR and ACD per local hour or day over [filter.from, filter.to), one point per bucket
 * including empty ones, oldest first, so a chart can plot the array as it is.
 */
export function timeSeries(db: Db, filter: CallFilter & { from: Instant; to: Instant }, bucket: Bucket): SeriesPoint[] {
  const from = toEpochMs(filter.from, 'filter.from');
  const to = toEpochMs(filter.to, 'filter.to');
  const starts = bucketStarts(from, to, bucket);
  // The first and last buckets are clipped to the range, which then needs no condition of its own: a
  // second range on started_at would leave SQLite choosing one of the two for the index seek, and the
  // whole range scanned once per bucket.
  const bounds = starts.map((s, i) => [Math.max(s, from), starts[i + 1] ?? to]);
  const where = statsWhere({ ...filter, from: undefined, to: undefined });
  // The buckets drive the join, so each one seeks its own range on the started_at index.
  const rows = db
    .prepare(
      `WITH c AS (SELECT started_at, answered_at, ended_at, outcome FROM call_records ${where.sql})
       SELECT b.key AS i, ${aggregates('c.')}
       FROM json_each(?) AS b
       LEFT JOIN c ON c.started_at >= b.value ->> 0 AND c.started_at < b.value ->> 1
       GROUP BY b.key ORDER BY b.key`,
    )
    .all(...where.params, JSON.stringify(bounds)) as Array<AggregateRow & { i: number }>;
  return rows.map((r) => {
    const s = statsOf(r, 0);
    const startMs = starts[r.i]!;
    return { start: new Date(startMs).toISOString(), startMs, calls: s.attempts, answered: s.answered, asr: s.asr, acdSeconds: s.acdSeconds };
  });
}
