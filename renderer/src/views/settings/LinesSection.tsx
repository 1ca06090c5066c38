/**
 * Lines: each binds a phone (by adb serial) to a SIP extension. Serials of phones the grid shows
 * without a line are offered, so the operator picks rather than types them, or gets a line each in
 * one step (AddLinesPanel). Each line's account can be tested on its PBX before saving.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStation } from '../../store/station-context';
import { CODEC_NAMES } from '../../../../electron/station/values';
import { AddLinesPanel } from './AddLinesPanel';
import { CheckField, ListField, SelectField, TextField } from './fields';
import { useSettingsForm } from './form-state';
import { RegistrationTestButton } from './RegistrationTestButton';

export function LinesSection() {
  const { draft, set } = useSettingsForm();
  const configured = new Set(draft.lines.map((l) => l.serial));
  const spare = useStation(useShallow((s) => s.lineIds.map((id) => s.lines[id]!).filter((l) => !l.sip && l.device).map((l) => l.device!.serial)));
  const free = spare.filter((serial) => !configured.has(serial));
  const [addingAll, setAddingAll] = useState(false);
  const [added, setAdded] = useState<number | null>(null);
  const pbxIds = draft.pbx.map((p) => p.id);
  const add = (serial = '') =>
    set(['lines', draft.lines.length], {
      id: `wa${draft.lines.length + 1}`,
      serial,
      pbx: pbxIds[0] ?? '',
      user: '',
      password: '',
      codecs: [...CODEC_NAMES],
      enabled: true,
    });
  return (
    <fieldset className="section" data-testid="settings-lines">
      <legend>Lines</legend>
      <datalist id="spare-serials">
        {free.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {draft.lines.map((l, i) => (
        <div className="item" key={i} data-testid="settings-line">
          <div className="row">
            <TextField path={['lines', i, 'id']} label="Line id" />
            <TextField path={['lines', i, 'serial']} label="Phone (adb serial)" list="spare-serials" />
            <SelectField path={['lines', i, 'pbx']} label="PBX" options={pbxIds.includes(l.pbx) ? pbxIds : [l.pbx, ...pbxIds]} />
            <TextField path={['lines', i, 'user']} label="Extension" />
            <TextField path={['lines', i, 'authUser']} label="Auth user" optional hint="empty: the extension" />
            <TextField path={['lines', i, 'password']} label="Password" type="password" hint="left as shown, the stored password is kept" />
            <TextField path={['lines', i, 'displayName']} label="Display name" optional />
            <TextField path={['lines', i, 'whatsappNumber']} label="Phone's WhatsApp number" optional hint="shown when the agent cannot read it" />
          </div>
          <div className="row">
            <ListField path={['lines', i, 'codecs']} label="Codecs, in order" hint={CODEC_NAMES.join(', ')} />
            <TextField path={['lines', i, 'inboundExtension']} label="Inbound extension" optional hint="rings when WhatsApp calls this phone; empty: declined" />
            <TextField path={['lines', i, 'group']} label="Hunting group" optional />
            <TextField path={['lines', i, 'busyReply']} label="Busy reply (WhatsApp text)" optional />
            <CheckField path={['lines', i, 'enabled']} label="Enabled" />
          </div>
          <div className="row">
            <RegistrationTestButton pbx={draft.pbx.find((p) => p.id === l.pbx)} line={l} label="Test registration" />
            <button type="button" className="link danger" onClick={() => set(['lines'], draft.lines.filter((_, j) => j !== i))}>
              Remove line {l.id}
            </button>
          </div>
        </div>
      ))}
      {addingAll && free.length > 0 ? (
        <AddLinesPanel
          phones={free}
          onAdded={(n) => {
            setAddingAll(false);
            setAdded(n);
          }}
        />
      ) : null}
      {added !== null ? (
        <p className="muted" data-testid="lines-added">
          {added} lines added to the form: test one, then Save and apply to register them.
        </p>
      ) : null}
      <div className="row">
        <button type="button" className={free.length > 1 ? 'primary' : undefined} disabled={free.length === 0} onClick={() => setAddingAll((v) => !v)} title={free.length ? undefined : 'every phone the station sees has a line'}>
          Add lines for all phones{free.length ? ` (${free.length})` : ''}
        </button>
        <button type="button" onClick={() => add()}>
          Add a line
        </button>
        {free.map((serial) => (
          <button type="button" key={serial} onClick={() => add(serial)} data-testid="add-spare">
            Add a line for phone {serial}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
