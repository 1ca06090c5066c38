/**
 * Per-line overrides of the per-line limits (policy.lines), as fields: each limit of a line is either
 * the station-wide value (left empty) or its own switch and figure.
 */
import { useState } from 'react';
import { NumberField } from './fields';
import { useField, useSettingsForm, type Path } from './form-state';
import { LOCK_AFTER_FIGURES } from './lock-after-figures';

const LIMITS: { key: string; label: string; figures: { key: string; label: string }[] }[] = [
  { key: 'uniquePerHour', label: 'Unique numbers per hour', figures: [{ key: 'max', label: 'max' }] },
  { key: 'uniquePerDay', label: 'Unique numbers per day', figures: [{ key: 'max', label: 'max' }] },
  { key: 'pauseBetweenCalls', label: 'Pause between calls', figures: [{ key: 'seconds', label: 'seconds' }] },
  { key: 'maxDuration', label: 'Maximum call duration', figures: [{ key: 'seconds', label: 'seconds' }] },
  { key: 'dedicated', label: 'Dedicated', figures: [] },
  { key: 'lockAfter', label: 'Lock-after', figures: LOCK_AFTER_FIGURES },
];

/** On, off, or the station-wide setting (the key left out). */
function SwitchField({ path, label }: { path: Path; label: string }) {
  const f = useField<boolean | undefined>(path);
  return (
    <div className={`field${f.error ? ' field-error' : ''}`}>
      <label htmlFor={f.id}>{label}</label>
      <select id={f.id} value={f.value === undefined ? '' : f.value ? 'on' : 'off'} onChange={(e) => f.set(e.target.value === '' ? undefined : e.target.value === 'on')}>
        <option value="">station-wide</option>
        <option value="on">on</option>
        <option value="off">off</option>
      </select>
      {f.error ? <small className="error-text">{f.error}</small> : null}
    </div>
  );
}

export function LineOverrides() {
  const { draft, set } = useSettingsForm();
  const overrides = draft.policy.lines ?? {};
  const ids = Object.keys(overrides);
  const candidates = draft.lines.map((l) => l.id).filter((id) => !ids.includes(id));
  const [pick, setPick] = useState('');
  const chosen = candidates.includes(pick) ? pick : (candidates[0] ?? '');
  return (
    <div data-testid="line-overrides">
      <h4>Per-line overrides</h4>
      <p className="muted">A line may have its own per-line limits; a limit left at station-wide (and a figure left empty) takes the value above.</p>
      {ids.map((id) => (
        <div className="item" key={id} data-testid="line-override">
          <strong>Line {id}</strong>
          {LIMITS.map((limit) => (
            <div className="row rule" key={limit.key}>
              <SwitchField path={['policy', 'lines', id, limit.key, 'enabled']} label={`${limit.label} (${id})`} />
              {limit.figures.map((f) => (
                <NumberField key={f.key} path={['policy', 'lines', id, limit.key, f.key]} label={`${f.label} (${id})`} optional hint="empty: station-wide" />
              ))}
            </div>
          ))}
          <button type="button" className="link danger" onClick={() => set(['policy', 'lines', id], undefined)}>
            Remove the overrides of line {id}
          </button>
        </div>
      ))}
      <div className="row">
        <select aria-label="Line to override" value={chosen} onChange={(e) => setPick(e.target.value)} disabled={candidates.length === 0}>
          {candidates.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
        <button type="button" disabled={!chosen} onClick={() => set(['policy', 'lines', chosen], {})}>
          Add overrides for a line
        </button>
      </div>
    </div>
  );
}
