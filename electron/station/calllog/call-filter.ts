/**
 * A `CallFilter` as an SQL WHERE clause with bound parameters: the one translation queries, statistics
 * and exports share, so the same filter selects the same records everywhere.
 */
import {
  CALL_LOG_DIRECTIONS,
  CALL_LOG_OUTCOMES,
  checkOneOf,
  toEpochMs,
  type CallFilter,
} from './call-record';

export interface SqlWhere {
  /** `WHERE ...` or the empty string. */
  sql: string;
  params: Array<string | number>;
}

function list<T extends string>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : (value as readonly T[]);
}

/** `column IN (?, ?)`; an empty list matches nothing (the caller asked for none of them). */
function inList(column: string, values: readonly string[], params: Array<string | number>): string {
  if (values.length === 0) return '0';
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(', ')})`;
}

/** LIKE pattern for a substring, with LIKE's own wildcards taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The columns a line filter matches: the called line and the line whose phone carried the call. */
export const LINE_COLUMNS = ['line_id', 'carrier_line_id'] as const;
export type LineColumn = (typeof LINE_COLUMNS)[number];

/**
 * Builds the WHERE clause; `extra` conditions (already SQL, with their parameters appended by the
 * caller after these) are ANDed in. A line filter matches either of `lineColumns` (both by default;
 * the pager asks for one at a time, so each half walks its own index). Throws naming the field for a
 * bad direction, outcome or time.
 */
export function filterToWhere(filter: CallFilter, extra: string[] = [], lineColumns: readonly LineColumn[] = LINE_COLUMNS): SqlWhere {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (filter.from !== undefined) {
    where.push('started_at >= ?');
    params.push(toEpochMs(filter.from, 'filter.from'));
  }
  if (filter.to !== undefined) {
    where.push('started_at < ?');
    params.push(toEpochMs(filter.to, 'filter.to'));
  }
  const lines = list(filter.lineId);
  // A hunted call belongs to both lines: the one called and the one whose phone carried it.
  if (lines) where.push(`(${lineColumns.map((c) => inList(c, lines, params)).join(' OR ')})`);
  const directions = list(filter.direction);
  if (directions) {
    directions.forEach((d) => checkOneOf(d, CALL_LOG_DIRECTIONS, 'filter.direction'));
    where.push(inList('direction', directions, params));
  }
  const outcomes = list(filter.outcome);
  if (outcomes) {
    outcomes.forEach((o) => checkOneOf(o, CALL_LOG_OUTCOMES, 'filter.outcome'));
    where.push(inList('outcome', outcomes, params));
  }
  const number = filter.number?.trim();
  if (number) {
    where.push(`(caller LIKE ? ESCAPE '\\' OR destination LIKE ? ESCAPE '\\')`);
    params.push(containing(number), containing(number));
  }
  where.push(...extra);
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}
