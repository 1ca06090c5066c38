/** The home page: every line as a card, sorted and filtered, with the station-wide problems on top. */
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LINE_STATES } from '../../../electron/station/values';
import { matchesFilter, NO_FILTER, orderLines, SORT_KEYS, SORT_LABELS, type LineFilter, type SortKey } from '../store/line-order';
import { useStation } from '../store/station-context';
import { LineCard } from './LineCard';

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
        <span className="muted" data-testid="line-count">
          {ids.length === total ? `${total} lines` : `${ids.length} of ${total} lines`}
        </span>
      </div>
      {total === 0 ? <p className="empty">No phones yet: plug in a phone with USB debugging allowed, or configure lines in Settings.</p> : null}
      <div className="cards">
        {ids.map((id) => (
          <LineCard key={id} lineId={id} />
        ))}
      </div>
    </section>
  );
}
