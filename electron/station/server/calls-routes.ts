/**
 * The call log over HTTP: `GET /api/calls` pages through records (newest first) and
 * `GET /api/calls/export?format=csv|json|asterisk` downloads them, streamed. Both take the same filters:
 * from, to (ISO dates or epoch ms), line, direction, outcome, number. A bad parameter is a 400 that
 * names it.
 */
import type http from 'node:http';
import { exportCalls, EXPORT_CONTENT_TYPES, EXPORT_FILE_SUFFIXES, EXPORT_FORMATS } from '../calllog/call-export';
import type { CallLog } from '../calllog/call-log';
import { CALL_LOG_DIRECTIONS, CALL_LOG_OUTCOMES, type CallFilter } from '../calllog/call-record';
import type { Db } from '../util/sqlite';

export class BadRequest extends Error {}

function instant(name: string, raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(n)) throw new BadRequest(`${name}: "${raw}" is not a date (ISO 8601 or epoch milliseconds)`);
  return n;
}

function oneOf<T extends string>(name: string, raw: string | null, allowed: readonly T[]): T | undefined {
  if (raw === null) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new BadRequest(`${name}: "${raw}" is not one of ${allowed.join(', ')}`);
  return raw as T;
}

export function filterFrom(q: URLSearchParams): CallFilter {
  const number = q.get('number');
  if (number !== null && !/^\+?\d{1,15}$/.test(number)) throw new BadRequest(`number: "${number}" is not digits`);
  return {
    from: instant('from', q.get('from')),
    to: instant('to', q.get('to')),
    lineId: q.get('line') ?? undefined,
    direction: oneOf('direction', q.get('direction'), CALL_LOG_DIRECTIONS),
    outcome: oneOf('outcome', q.get('outcome'), CALL_LOG_OUTCOMES),
    number: number?.replace(/^\+/, '') ?? undefined,
  };
}

export interface CallsSource {
  callLog: CallLog | null;
  db: Db | null;
  /** The id every exported record carries (config `stationId`, default the host name). */
  stationId?: string;
}

/** Handles /api/calls routes; false when the path is not one of them. */
export async function handleCalls(source: CallsSource, url: URL, res: http.ServerResponse, send: (status: number, body: unknown) => void): Promise<boolean> {
  if (url.pathname !== '/api/calls' && url.pathname !== '/api/calls/export') return false;
  if (!source.callLog || !source.db) {
    send(503, { error: 'the call log is not open yet' });
    return true;
  }
  const filter = filterFrom(url.searchParams);
  if (url.pathname === '/api/calls') {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadRequest(`limit: must be a whole number from 1 to 500`);
    send(200, source.callLog.query(filter, { limit, cursor: url.searchParams.get('cursor') ?? undefined }));
    return true;
  }
  const format = oneOf('format', url.searchParams.get('format') ?? 'csv', EXPORT_FORMATS)!;
  res.writeHead(200, {
    'content-type': EXPORT_CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="sip2wa-calls${EXPORT_FILE_SUFFIXES[format]}"`,
    'cache-control': 'no-store',
  });
  await exportCalls(source.db, filter, format, res, undefined, source.stationId);
  return true;
}
