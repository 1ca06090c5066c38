/** Prompts, call-record retention, call recording, the heat and battery guard, start at login and message forwarding. */
import { PROMPT_NAMES } from '../../../../electron/station/values';
import { CheckField, ListField, NumberField, TextField } from './fields';
import { useSettingsForm } from './form-state';

export function OtherSection() {
  const { draft, set } = useSettingsForm();
  const forward = draft.messages.forward;
  return (
    <fieldset className="section" data-testid="settings-other">
      <legend>Prompts, records, recording, guard, messages</legend>
      <h4>Prompts (your own 16 kHz mono WAV files; empty: the built-in prompt)</h4>
      <div className="row">
        {PROMPT_NAMES.map((name) => (
          <TextField key={name} path={['prompts', name]} label={name} optional />
        ))}
      </div>
      <div className="row">
        <NumberField path={['callLog', 'retentionDays']} label="Keep call records (days)" hint="0 keeps them for ever" />
        <TextField path={['stationId']} label="Station id" optional hint="carried by every exported record; empty: the PC's host name" />
      </div>
      <h4>Call recording (recording calls has legal requirements: notice, consent, data protection)</h4>
      <div className="row">
        <CheckField path={['recording', 'enabled']} label="Record answered calls" hint="stereo WAV: PBX side left, WhatsApp side right" />
        <ListField path={['recording', 'lines']} label="On lines" hint="empty, with no groups: every line" />
        <ListField path={['recording', 'groups']} label="On groups" />
        <NumberField path={['recording', 'retentionDays']} label="Keep recordings (days)" hint="0: no age limit" />
        <NumberField path={['recording', 'maxTotalMb']} label="At most (MB in all)" hint="the oldest go first; 0: no cap" />
      </div>
      <div className="row">
        <CheckField path={['desktop', 'startAtLogin']} label="Start the desktop app at login" />
      </div>
      <h4>Heat and battery guard (a phone outside the limits takes no new calls until it recovers)</h4>
      <div className="row">
        <CheckField path={['guard', 'enabled']} label="Guard on" />
        <NumberField path={['guard', 'maxTemperatureC']} label="Max battery temperature (°C)" />
        <NumberField path={['guard', 'temperatureHysteresisC']} label="Calls again this much cooler (°C)" />
        <NumberField path={['guard', 'minBatteryPercent']} label="Min battery when not charging (%)" hint="0: no battery limit" />
        <NumberField path={['guard', 'batteryHysteresisPercent']} label="Calls again this much higher (%)" />
      </div>
      <h4>Forward WhatsApp messages</h4>
      {forward.map((_, i) => (
        <div className="row" key={i}>
          <TextField path={['messages', 'forward', i, 'line']} label="From line" optional hint="empty: every line" />
          <TextField path={['messages', 'forward', i, 'toNumber']} label="To number" optional />
          <TextField path={['messages', 'forward', i, 'toGroup']} label="or to group" optional />
          <button type="button" className="link danger" onClick={() => set(['messages', 'forward'], forward.filter((__, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => set(['messages', 'forward', forward.length], {})}>
        Add a forwarding rule
      </button>
    </fieldset>
  );
}
