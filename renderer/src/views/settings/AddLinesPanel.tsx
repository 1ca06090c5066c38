/**
 * "Add lines for all phones": the extension range, passwords, codecs and group for every phone the
 * station sees without a line, a preview of the lines that will be created, and a button that puts
 * them into the form (the normal Save applies them). Mistakes are named next to their field.
 */
import { useState, type ReactNode } from 'react';
import { ADD_LINES_DEFAULTS, planLines, type AddLinesField, type AddLinesForm } from './add-lines';
import { useSettingsForm } from './form-state';
import { RegistrationTestButton } from './RegistrationTestButton';

function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <small className="error-text" data-testid="add-lines-error">
          {error}
        </small>
      ) : hint ? (
        <small className="muted">{hint}</small>
      ) : null}
    </div>
  );
}

export function AddLinesPanel({ phones, onAdded }: { phones: readonly string[]; onAdded: (count: number) => void }) {
  const { draft, set } = useSettingsForm();
  const [form, setForm] = useState<AddLinesForm>({ ...ADD_LINES_DEFAULTS, pbx: draft.pbx[0]?.id ?? '' });
  const plan = planLines(form, phones, draft);
  const errors: Partial<Record<AddLinesField, string>> = plan.ok ? {} : plan.errors;
  const input = (key: AddLinesField) => ({
    id: `add-lines-${key}`,
    value: form[key],
    'aria-invalid': !!errors[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
  });
  return (
    <div className="step" data-testid="add-lines">
      <h3>Add lines for all phones</h3>
      <p>One line for each of the {phones.length} phones without a line, in grid order. Create the extensions on the PBX first, and test the first line
        here before adding them.</p>
      <div className="row">
        <Field id="add-lines-pbx" label="Lines on PBX" error={errors.pbx}>
          <select {...input('pbx')}>
            {draft.pbx.map((p) => (
              <option key={p.id}>{p.id}</option>
            ))}
          </select>
        </Field>
        <Field id="add-lines-firstExtension" label="First extension" error={errors.firstExtension} hint="the next phones count up from it">
          <input type="text" inputMode="numeric" {...input('firstExtension')} />
        </Field>
        <Field id="add-lines-passwordMode" label="Passwords from">
          <select {...input('passwordMode')}>
            <option value="pattern">a pattern</option>
            <option value="list">a list</option>
          </select>
        </Field>
        {form.passwordMode === 'pattern' ? (
          <Field id="add-lines-passwordPattern" label="Password pattern" error={errors.passwordPattern} hint="{ext}: the extension, {n}: 1, 2, 3…">
            <input type="text" autoComplete="off" {...input('passwordPattern')} />
          </Field>
        ) : (
          <Field id="add-lines-passwordList" label="Passwords, one per line" error={errors.passwordList} hint="in grid order">
            <textarea rows={4} autoComplete="off" {...input('passwordList')} />
          </Field>
        )}
        <Field id="add-lines-codecs" label="Codecs" error={errors.codecs} hint="in order, for example G722, PCMU, PCMA">
          <input type="text" {...input('codecs')} />
        </Field>
        <Field id="add-lines-group" label="Group" error={errors.group} hint="hunting group; empty: none">
          <input type="text" {...input('group')} />
        </Field>
      </div>
      {plan.ok ? (
        <>
          <table className="records preview" data-testid="add-lines-preview">
            <caption className="muted">These lines will be added to the form:</caption>
            <thead>
              <tr>
                <th>Line</th>
                <th>Phone</th>
                <th>Extension</th>
                <th>Password</th>
                <th>Codecs</th>
                <th>Group</th>
              </tr>
            </thead>
            <tbody>
              {plan.lines.map((l) => (
                <tr key={l.serial}>
                  <td>{l.id}</td>
                  <td className="serial">{l.serial}</td>
                  <td>{l.user}</td>
                  <td>{l.password}</td>
                  <td>{l.codecs.join(', ')}</td>
                  <td>{l.group ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <RegistrationTestButton
            key={`${form.pbx}:${plan.lines[0]!.user}:${plan.lines[0]!.password}`}
            pbx={draft.pbx.find((p) => p.id === form.pbx)}
            line={plan.lines[0]}
            label={`Test registration of ${plan.lines[0]!.id} (extension ${plan.lines[0]!.user})`}
          />
          <button
            type="button"
            className="primary"
            onClick={() => {
              set(['lines'], [...draft.lines, ...plan.lines]);
              onAdded(plan.lines.length);
            }}
          >
            Add these {plan.lines.length} lines to the form
          </button>
        </>
      ) : null}
    </div>
  );
}
