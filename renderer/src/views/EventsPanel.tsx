/**
 * The station's events: registrations failing, phones lost or unauthorized, rules firing, settings saved.
 * An entry's line links to the line in the lines view.
 */
import { useMemo, useState } from 'react';
import type { StationLogEntry } from '../../../electron/station/api/types';
import { useStation } from '../store/station-context';

const LEVELS = ['info', 'warn', 'error'] as const;
const KINDS: StationLogEntry['kind'][] = ['registration', 'device', 'agent', 'rule', 'call', 'config', 'audio', 'account', 'pause', 'guard', 'alarm'];

export function EventsPanel() {
  const events = useStation((s) => s.events);
  const showLine = useStation((s) => s.showLine);
  const [level, setLevel] = useState('');
  const [kind, setKind] = useState('');
  const [line, setLine] = useState('');
  const lines = useMemo(() => [...new Set(events.map((e) => e.lineId).filter((l): l is string => !!l))].sort(), [events]);
  const shown = useMemo(
    () => events.filter((e) => (!level || LEVELS.indexOf(e.level) >= LEVELS.indexOf(level as StationLogEntry['level'])) && (!kind || e.kind === kind) && (!line || e.lineId === line)),
    [events, level, kind, line],
  );
  return (
    <section className="events" aria-label="events">
      <div className="toolbar">
        <label>
          Level
          <select value={level} onChange={(e) => setLevel(e.target.value)}>
            <option value="">all</option>
            <option value="warn">warnings and errors</option>
            <option value="error">errors</option>
          </select>
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">all</option>
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Line
          <select value={line} onChange={(e) => setLine(e.target.value)}>
            <option value="">all</option>
            {lines.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <span className="muted">
          {shown.length} of {events.length}
        </span>
      </div>
      <table className="records">
        <thead>
          <tr>
            <th>Time</th>
            <th>Level</th>
            <th>Kind</th>
            <th>Line</th>
            <th>What happened</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr key={e.id} className={`level-${e.level}`} data-testid="event-row">
              <td>{new Date(e.at).toLocaleTimeString()}</td>
              <td>{e.level}</td>
              <td>{e.kind}</td>
              <td>
                {e.lineId ? (
                  <button type="button" className="link" onClick={() => showLine(e.lineId)} title={`show line ${e.lineId}`}>
                    {e.lineId}
                  </button>
                ) : null}
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.length === 0 ? <p className="empty">Nothing has happened yet.</p> : null}
    </section>
  );
}
