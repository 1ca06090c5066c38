/**
 * The home page: every line as a card, or as a row of the line table (the operator's choice, kept in
 * localStorage), sorted and filtered, with the station-wide problems on top.
 */
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LINE_STATES } from '../../../electron/station/values';
import { matchesFilter, NO_FILTER, orderLines, SORT_KEYS, SORT_LABELS, type LineFilter, type SortKey } from '../store/line-order';
import { useStation } from '../store/station-context';
import { LineCard } from './LineCard';
import { LineTable } from './LineTable';

export const LINES_VIEW_KEY = 'sip2wa.linesView';
type LinesView = 'cards' | 'table';

function storedView(): LinesView {
  try {
    return localStorage.getItem(LINES_VIEW_KEY) === 'table' ? 'table' : 'cards';
  } catch {
    return 'cards'; // storage refused (a locked-down browser profile): the default view
  }
}

function storeView(view: LinesView): void {
  try {
    localStorage.setItem(LINES_VIEW_KEY, view);
  } catch {
    // not remembered; the view still changes
  }
}

function NoPbxBanner() {
  const navigate = useStation((s) => s.navigate);
  return (
    <div className="banner banner-error" data-testid="no-pbx-banner" role="alert">
      No PBX is configured, so no line can register.{' '}
      <button type="button" onClick={() => navigate('settings', 'pbx')}>
        Connect your PBX
      </button>
    </div>
  );
}

export function LineGrid() {
  const [sort, setSort] = useState<SortKey>('id');
  const [filter, setFilter] = useState<LineFilter>(NO_FILTER);
  const [mode, setMode] = useState<LinesView>(storedView);
  const [focused, setFocused] = useState<string | null>(null);
  const focusLine = useStation((s) => s.focusLine);
  const showLine = useStation((s) => s.showLine);
  const pbxConfigured = useStation((s) => (s.info ? s.info.pbxConfigured : null));
  const total = useStation((s) => s.lineIds.length);
  const groups = useStation(useShallow((s) => [...new Set(s.lineIds.map((id) => s.lines[id]?.sip?.group).filter((g): g is string => !!g))].sort()));
  // Only the ordered ids: the grid re-renders when the order or the set of cards changes, not when
  // a line's figures do (each card watches its own line).
  const ids = useStation(
    useShallow((s) => {
      const lines = s.lineIds.map((id) => s.lines[id]!).filter((l) => matchesFilter(l, filter));
      return orderLines(lines, sort, pbxConfigured === null ? null : { pbxConfigured }).map((l) => l.id);
    }),
  );
  const set = useMemo(() => (patch: Partial<LineFilter>) => setFilter((f) => ({ ...f, ...patch })), []);
  const choose = (view: LinesView) => {
    setMode(view);
    storeView(view);
  };
  // A line an events-panel entry led to: shown whatever the filter, scrolled to, its detail open.
  useEffect(() => {
    if (!focusLine) return;
    setFilter(NO_FILTER);
    setFocused(focusLine);
    showLine(null);
  }, [focusLine, showLine]);
  useEffect(() => {
    if (focused && mode === 'cards') document.querySelector(`[data-testid="line-card"][data-line-id="${focused.replace(/["\\]/g, '\\$&')}"]`)?.scrollIntoView?.({ block: 'center' });
  }, [focused, mode]);

  return (
    <section className="grid-page" aria-label="lines">
      {pbxConfigured === false ? <NoPbxBanner /> : null}
      <div className="toolbar">
        <label>
          Search <input type="search" value={filter.text} placeholder="line, serial, number…" onChange={(e) => set({ text: e.target.value })} />
        </label>
        <label>
          State
          <select value={filter.state} onChange={(e) => set({ state: e.target.value })}>
            <option value="">all</option>
            {LINE_STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Group
          <select value={filter.group} onChange={(e) => set({ group: e.target.value })}>
            <option value="">all</option>
            {groups.map((g) => (
              <option key={g}>{g}</option>
            ))}
          </select>
        </label>
        {mode === 'cards' ? (
          <label>
            Sort
            <select value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
              {SORT_KEYS.map((k) => (
                <option key={k} value={k}>
                  {SORT_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <span className="view-toggle" role="group" aria-label="show lines as">
          <button type="button" aria-pressed={mode === 'cards'} onClick={() => choose('cards')}>
            Cards
          </button>
          <button type="button" aria-pressed={mode === 'table'} onClick={() => choose('table')}>
            Table
          </button>
        </span>
        <span className="muted" data-testid="line-count">
          {ids.length === total ? `${total} lines` : `${ids.length} of ${total} lines`}
        </span>
      </div>
      {total === 0 ? <p className="empty">No phones yet: plug in a phone with USB debugging allowed, or configure lines in Settings.</p> : null}
      {mode === 'table' ? (
        <LineTable filter={filter} focusId={focused} />
      ) : (
        <div className="cards">
          {ids.map((id) => (
            <LineCard key={id} lineId={id} focused={id === focused} />
          ))}
        </div>
      )}
    </section>
  );
}
