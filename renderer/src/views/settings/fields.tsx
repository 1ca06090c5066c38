/** Form fields bound to a path of the settings draft; each shows the station's refusal for its field. */
import type { ReactNode } from 'react';
import { useField, type Path } from './form-state';

function Shell({ label, id, error, hint, children }: { label: string; id: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error ? <small className="muted">{hint}</small> : null}
      {error ? (
        <small className="error-text" id={`${id}-error`} data-testid="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

interface Base {
  path: Path;
  label: string;
  hint?: string;
}

/** Text; an empty box removes an optional field rather than sending "". */
export function TextField({ path, label, hint, optional, list, type = 'text' }: Base & { optional?: boolean; list?: string; type?: 'text' | 'password' }) {
  const f = useField<string | undefined>(path);
  return (
    <Shell label={label} id={f.id} error={f.error} hint={hint}>
      <input
        id={f.id}
        type={type}
        list={list}
        value={f.value ?? ''}
        aria-invalid={!!f.error}
        aria-describedby={f.error ? `${f.id}-error` : undefined}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        onChange={(e) => f.set(optional && e.target.value === '' ? undefined : e.target.value)}
      />
    </Shell>
  );
}

/**
 * A number; what the operator typed is sent as typed when it is not a number, so the station's
 * message names the field instead of the console guessing.
 */
export function NumberField({ path, label, hint, optional }: Base & { optional?: boolean }) {
  const f = useField<number | string | null | undefined>(path);
  return (
    <Shell label={label} id={f.id} error={f.error} hint={hint}>
      <input
        id={f.id}
        type="text"
        inputMode="numeric"
        value={f.value === undefined || f.value === null ? '' : String(f.value)}
        aria-invalid={!!f.error}
        onChange={(e) => {
          const raw = e.target.value.trim();
          if (raw === '') return f.set(optional ? undefined : raw);
          const n = Number(raw);
          f.set(Number.isFinite(n) ? n : raw);
        }}
      />
    </Shell>
  );
}

export function CheckField({ path, label, hint }: Base) {
  const f = useField<boolean | undefined>(path);
  return (
    <div className={`field field-check${f.error ? ' field-error' : ''}`}>
      <label>
        <input type="checkbox" checked={!!f.value} onChange={(e) => f.set(e.target.checked)} /> {label}
      </label>
      {hint ? <small className="muted">{hint}</small> : null}
      {f.error ? <small className="error-text">{f.error}</small> : null}
    </div>
  );
}

/** `blank`: what the empty choice of an optional field says (default "(none)"). */
export function SelectField({ path, label, hint, options, optional, blank = '(none)' }: Base & { options: readonly string[]; optional?: boolean; blank?: string }) {
  const f = useField<string | undefined>(path);
  return (
    <Shell label={label} id={f.id} error={f.error} hint={hint}>
      <select id={f.id} value={f.value ?? ''} onChange={(e) => f.set(optional && e.target.value === '' ? undefined : e.target.value)}>
        {optional ? <option value="">{blank}</option> : null}
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </Shell>
  );
}

/** A list of strings edited as one per line (patterns, codecs, sources). */
export function ListField({ path, label, hint }: Base) {
  const f = useField<string[] | undefined>(path);
  return (
    <Shell label={label} id={f.id} error={f.error} hint={hint}>
      <textarea
        id={f.id}
        rows={3}
        value={(f.value ?? []).join('\n')}
        onChange={(e) =>
          f.set(
            e.target.value
              .split('\n')
              .map((s) => s.trim())
              .filter((s, i, all) => s !== '' || i === all.length - 1),
          )
        }
        onBlur={() => f.set((f.value ?? []).filter((s) => s !== ''))}
      />
    </Shell>
  );
}
