/**
 * The lines as a table, one row per line, for a farm of dozens of phones: sortable columns, the grid's
 * filters, problems first, a summary strip, and bulk actions on the selected rows with a result per
 * row. A row's line opens its card (today's figures, the line's own actions) above the table.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BULK_ACTIONS, BULK_LABELS, runBulk, type BulkAction, type RowResult } from '../store/bulk-actions';
import { matchesFilter, type LineFilter } from '../store/line-order';
import { clickHeader, COLUMN_LABELS, DEFAULT_TABLE_SORT, sortTable, summarize, TABLE_COLUMNS, type TableSort } from '../store/line-table-order';
import { useClient, useStation } from '../store/station-context';
import { LineCard } from './LineCard';
import { LineRow } from './LineRow';

function SummaryStrip() {
  const pbxConfigured = useStation((s) => (s.info ? s.info.pbxConfigured : null));
  const sum = useStation(useShallow((s) => summarize(s.lineIds.map((id) => s.lines[id]!), pbxConfigured === null ? null : { pbxConfigured })));
  return (
    <div className="summary-strip" data-testid="summary-strip" role="status" aria-label="lines summary">
      <span data-testid="sum-registered">
        <strong>{sum.registered}</strong>/{sum.total} registered
      </span>
      <span data-testid="sum-in-call">
        <strong>{sum.inCall}</strong> in call
      </span>
      <span data-testid="sum-failing" className={sum.failing ? 'bad-text' : undefined}>
        <strong>{sum.failing}</strong> failing
      </span>
      <span data-testid="sum-lost" className={sum.phonesLost ? 'bad-text' : undefined}>
        <strong>{sum.phonesLost}</strong> phones lost
      </span>
    </div>
  );
}

function BulkBar({ count, running, onRun }: { count: number; running: boolean; onRun(action: BulkAction): void }) {
  return (
    <div className="bulk-bar" role="group" aria-label="actions on the selected lines">
      <span className="muted">{count ? `${count} selected` : 'select lines for bulk actions'}</span>
      {BULK_ACTIONS.map((a) => (
        <button key={a} type="button" disabled={!count || running} onClick={() => onRun(a)}>
          {BULK_LABELS[a]}
        </button>
      ))}
    </div>
  );
}

export function LineTable({ filter, focusId }: { filter: LineFilter; focusId: string | null }) {
  const client = useClient();
  const [sort, setSort] = useState<TableSort>(DEFAULT_TABLE_SORT);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [results, setResults] = useState<Record<string, RowResult>>({});
  const [running, setRunning] = useState(false);
  const [detail, setDetail] = useState<string | null>(null);
  const pbxConfigured = useStation((s) => (s.info ? s.info.pbxConfigured : null));
  const ids = useStation(
    useShallow((s) => {
      const lines = s.lineIds.map((id) => s.lines[id]!).filter((l) => matchesFilter(l, filter));
      return sortTable(lines, sort, pbxConfigured === null ? null : { pbxConfigured }).map((l) => l.id);
    }),
  );
  useEffect(() => {
    if (!focusId) return;
    setDetail(focusId);
    document.querySelector(`[data-testid="line-row"][data-line-id="${focusId.replace(/["\\]/g, '\\$&')}"]`)?.scrollIntoView?.({ block: 'center' });
  }, [focusId]);

  const visible = useMemo(() => new Set(ids), [ids]);
  const chosen = [...selected].filter((id) => visible.has(id));
  const allChosen = ids.length > 0 && chosen.length === ids.length;
  const toggle = useCallback((id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id]))), []);
  const open = useCallback((id: string) => setDetail((d) => (d === id ? null : id)), []);
  const run = async (action: BulkAction) => {
    setRunning(true);
    setResults((r) => Object.fromEntries(Object.entries(r).filter(([id]) => !chosen.includes(id))));
    try {
      await runBulk((command, params) => client.call(command, params), action, chosen, (id, result) => setResults((r) => ({ ...r, [id]: result })));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="line-table-view">
      <SummaryStrip />
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={sort.problemsFirst} onChange={(e) => setSort((s) => ({ ...s, problemsFirst: e.target.checked }))} /> Problems first
        </label>
        <BulkBar count={chosen.length} running={running} onRun={(a) => void run(a)} />
      </div>
      {detail ? (
        <aside className="line-detail" aria-label={`line ${detail} detail`}>
          <button type="button" className="link" onClick={() => setDetail(null)} aria-label="close the line's detail">
            ×
          </button>
          <LineCard lineId={detail} focused={detail === focusId} />
        </aside>
      ) : null}
      <table className="records line-table" data-testid="line-table">
        <thead>
          <tr>
            <th>
              <input type="checkbox" checked={allChosen} onChange={() => setSelected(allChosen ? new Set() : new Set(ids))} aria-label="select all visible lines" />
            </th>
            {TABLE_COLUMNS.map((c) => (
              <th key={c} aria-sort={sort.column === c ? sort.direction : 'none'}>
                {c === 'levels' ? (
                  COLUMN_LABELS[c]
                ) : (
                  <button type="button" className="link sort" onClick={() => setSort((s) => clickHeader(s, c))}>
                    {COLUMN_LABELS[c]}
                    {sort.column === c ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                  </button>
                )}
              </th>
            ))}
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <LineRow key={id} lineId={id} selected={selected.has(id)} result={results[id]} onToggle={toggle} onOpen={open} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
