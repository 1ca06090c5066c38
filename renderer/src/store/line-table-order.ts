/**
 * How the line table sorts: by any of its columns, either way, optionally with the lines that have a
 * problem first. Lines without a value for the column (no phone, no call) go last whichever way.
 */
import type { LineView, StationInfo } from '../../../electron/station/api/types';
import { STATE_RANK } from './line-order';
import { lineProblems, worstLevel } from './line-problems';

export const TABLE_COLUMNS = ['line', 'phone', 'whatsapp', 'sip', 'call', 'levels', 'rtp', 'battery', 'today', 'problem'] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

export const COLUMN_LABELS: Record<TableColumn, string> = {
  line: 'Line',
  phone: 'Phone',
  whatsapp: 'WhatsApp',
  sip: 'SIP',
  call: 'Call',
  levels: 'Levels',
  rtp: 'Jitter / loss',
  battery: 'Battery / temp.',
  today: 'Today',
  problem: 'Problem',
};

export type SortDirection = 'ascending' | 'descending';

export interface TableSort {
  column: TableColumn;
  direction: SortDirection;
  /** Lines with an error, then with a warning, before the rest; the column orders within each. */
  problemsFirst: boolean;
}

export const DEFAULT_TABLE_SORT: TableSort = { column: 'line', direction: 'ascending', problemsFirst: false };

const CALL_RANK: Record<string, number> = { connected: 0, ringing: 1, dialing: 2, routing: 3, ending: 4 };

/** 0 error, 1 warning, 2 fine. */
export function problemRank(line: LineView, info: Pick<StationInfo, 'pbxConfigured'> | null): number {
  const w = worstLevel(lineProblems(line, info));
  return w === 'error' ? 0 : w === 'warn' ? 1 : 2;
}

type Key = number | string | null;

/** The value a column sorts by; null sorts last. Levels have no order of their own: by line. */
function sortValue(line: LineView, column: TableColumn, info: Pick<StationInfo, 'pbxConfigured'> | null): Key {
  switch (column) {
    case 'line':
    case 'levels':
      return null;
    case 'phone':
      return line.device?.serial ?? null;
    case 'whatsapp':
      return line.agent?.account || null;
    case 'sip':
      return STATE_RANK[line.registration.state] ?? 9;
    case 'call':
      return line.call ? (CALL_RANK[line.call.state] ?? 5) : null;
    case 'rtp':
      return line.call?.stats?.jitterMs ?? null;
    case 'battery':
      return line.agent && line.agent.batteryLevel !== 255 ? line.agent.batteryLevel : null;
    case 'today':
      return line.today?.attempts ?? null;
    case 'problem':
      return problemRank(line, info);
  }
}

const byId = (a: LineView, b: LineView): number => a.id.localeCompare(b.id, undefined, { numeric: true });

function compareKeys(a: Key, b: Key): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function sortTable(lines: LineView[], sort: TableSort, info: Pick<StationInfo, 'pbxConfigured'> | null): LineView[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = lines.map((line) => ({ line, key: sortValue(line, sort.column, info), rank: sort.problemsFirst ? problemRank(line, info) : 0 }));
  keyed.sort((a, b) => {
    if (a.rank !== b.rank) return a.rank - b.rank;
    const nulls = a.key === null || b.key === null;
    const c = compareKeys(a.key, b.key);
    if (c) return nulls ? c : sign * c;
    // The line column (and ties) order by id, reversed with the column's direction.
    return (sort.column === 'line' ? sign : 1) * byId(a.line, b.line);
  });
  return keyed.map((k) => k.line);
}

/** Clicking a header sorts by it ascending; clicking it again reverses. */
export function clickHeader(sort: TableSort, column: TableColumn): TableSort {
  if (sort.column === column) return { ...sort, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' };
  return { ...sort, column, direction: 'ascending' };
}

/** What the strip above the table counts, over every line (not only the filtered ones). */
export interface LineSummary {
  total: number;
  registered: number;
  inCall: number;
  failing: number;
  phonesLost: number;
}

export function summarize(lines: LineView[], info: Pick<StationInfo, 'pbxConfigured'> | null): LineSummary {
  const out: LineSummary = { total: lines.length, registered: 0, inCall: 0, failing: 0, phonesLost: 0 };
  for (const l of lines) {
    if (l.registration.state === 'registered' || l.registration.state === 'in-call') out.registered++;
    if (l.call) out.inCall++;
    if (problemRank(l, info) === 0) out.failing++;
    if (!l.device || l.device.state === 'lost' || l.device.state === 'offline') out.phonesLost++;
  }
  return out;
}
