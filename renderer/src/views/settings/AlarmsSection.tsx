/**
 * Alarms: the rules (on or off, severity, hold-off), where alarms and call records go (signed webhooks,
 * email, a WhatsApp text), and "Send test alarm", which reports for each receiver of the saved settings
 * whether it got the alarm or why not. Secrets arrive masked; a mask sent back keeps the secret.
 */
import { useState } from 'react';
import type { TestAlarmResult } from '../../../../electron/station/api/types';
import { RULE_DEFAULTS } from '../../../../electron/station/alarms/alarm-rules';
import { ALARM_RULE_IDS, ALARM_SEVERITIES } from '../../../../electron/station/values';
import { useClient } from '../../store/station-context';
import { CheckField, ListField, NumberField, SelectField, TextField } from './fields';
import { useField, useSettingsForm } from './form-state';

/** A rule's switch: an absent setting means the rule is on. */
function RuleSwitch({ id }: { id: string }) {
  const f = useField<boolean | undefined>(['alarms', 'rules', id, 'enabled']);
  return (
    <div className="field field-check">
      <label>
        <input type="checkbox" checked={f.value !== false} onChange={(e) => f.set(e.target.checked ? undefined : false)} /> {RULE_DEFAULTS[id as keyof typeof RULE_DEFAULTS].title}
      </label>
    </div>
  );
}

function TestAlarmButton() {
  const client = useClient();
  const [running, setRunning] = useState(false);
  const [results, setResults] = useState<TestAlarmResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setRunning(true);
    setResults(null);
    setError(null);
    try {
      setResults(await client.call('alarms.test', {}));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="probe" data-testid="test-alarm">
      <button type="button" disabled={running} onClick={() => void run()} title="sends to the receivers of the saved settings">
        {running ? 'Sending…' : 'Send test alarm'}
      </button>
      {error ? <span className="probe-result bad-text">{error}</span> : null}
      {results && results.length === 0 ? <span className="probe-result muted">No receiver is set up (save the settings first).</span> : null}
      {results?.map((r) => (
        <span key={r.receiver} className={`probe-result ${r.delivered ? 'good-text' : 'bad-text'}`} data-testid="test-alarm-result" role="status">
          {r.receiver}: {r.delivered ? 'delivered' : 'failed'} ({r.detail})
        </span>
      ))}
    </div>
  );
}

export function AlarmsSection() {
  const { draft, set } = useSettingsForm();
  const receivers = draft.webhooks.receivers;
  const lineIds = draft.lines.map((l) => l.id);
  return (
    <fieldset className="section" data-testid="settings-alarms">
      <legend>Alarms and webhooks</legend>
      <div className="row">
        <CheckField path={['alarms', 'enabled']} label="Raise alarms" />
      </div>
      {ALARM_RULE_IDS.map((id) => (
        <div className="row rule" key={id}>
          <RuleSwitch id={id} />
          <SelectField path={['alarms', 'rules', id, 'severity']} label="severity" options={ALARM_SEVERITIES} optional blank={`(${RULE_DEFAULTS[id].severity})`} />
          <NumberField
            path={['alarms', 'rules', id, 'holdOffS']}
            label={RULE_DEFAULTS[id].oneShot ? 'group repeats for (s)' : 'hold-off (s)'}
            optional
            hint={`default ${RULE_DEFAULTS[id].holdOffS}`}
          />
        </div>
      ))}
      <h4>Webhooks (signed POSTs; see the README for the signature)</h4>
      {receivers.map((_, i) => (
        <div className="row" key={i}>
          <TextField path={['webhooks', 'receivers', i, 'id']} label="Receiver" />
          <TextField path={['webhooks', 'receivers', i, 'url']} label="URL" />
          <TextField path={['webhooks', 'receivers', i, 'secret']} label="Secret" type="password" hint="at least 16 characters" />
          <SelectField path={['webhooks', 'receivers', i, 'alarms']} label="Alarms from" options={[...ALARM_SEVERITIES, 'none']} />
          <CheckField path={['webhooks', 'receivers', i, 'callRecords']} label="Call records" />
          <CheckField path={['webhooks', 'receivers', i, 'enabled']} label="On" />
          <button type="button" className="link danger" onClick={() => set(['webhooks', 'receivers'], receivers.filter((__, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => set(['webhooks', 'receivers', receivers.length], { id: `receiver${receivers.length + 1}`, url: 'https://', secret: '', alarms: 'warning', callRecords: false, enabled: true })}>
        Add a receiver
      </button>
      <div className="row">
        <NumberField path={['webhooks', 'queueLimit']} label="Queue per receiver" hint="deliveries kept while a receiver is down" />
        <NumberField path={['webhooks', 'timeoutS']} label="Timeout (s)" />
        <NumberField path={['webhooks', 'retryInitialS']} label="First retry after (s)" />
        <NumberField path={['webhooks', 'retryMaxS']} label="Longest retry wait (s)" />
      </div>
      <h4>Email</h4>
      {draft.email ? (
        <>
          <div className="row">
            <TextField path={['email', 'host']} label="SMTP server" />
            <NumberField path={['email', 'port']} label="Port" />
            <SelectField path={['email', 'security']} label="Security" options={['starttls', 'tls', 'none']} />
            <TextField path={['email', 'user']} label="User" optional />
            <TextField path={['email', 'password']} label="Password" type="password" optional />
          </div>
          <div className="row">
            <TextField path={['email', 'from']} label="From" />
            <ListField path={['email', 'to']} label="To" hint="one address per line" />
            <SelectField path={['email', 'minSeverity']} label="Alarms from" options={ALARM_SEVERITIES} />
            <CheckField path={['email', 'enabled']} label="On" />
            <button type="button" className="link danger" onClick={() => set(['email'], undefined)}>
              Remove email
            </button>
          </div>
        </>
      ) : (
        <button type="button" onClick={() => set(['email'], { enabled: true, host: '', port: 587, security: 'starttls', from: '', to: [], minSeverity: 'major' })}>
          Send alarms by email
        </button>
      )}
      <h4>WhatsApp text</h4>
      {draft.whatsappAlarms ? (
        <div className="row">
          <SelectField path={['whatsappAlarms', 'line']} label="From line" options={lineIds} />
          <TextField path={['whatsappAlarms', 'to']} label="To number" hint="international, without +" />
          <SelectField path={['whatsappAlarms', 'minSeverity']} label="Alarms from" options={ALARM_SEVERITIES} />
          <CheckField path={['whatsappAlarms', 'enabled']} label="On" />
          <button type="button" className="link danger" onClick={() => set(['whatsappAlarms'], undefined)}>
            Remove
          </button>
        </div>
      ) : (
        <button type="button" disabled={lineIds.length === 0} onClick={() => set(['whatsappAlarms'], { enabled: true, line: lineIds[0], to: '', minSeverity: 'critical' })}>
          Send alarms as a WhatsApp text
        </button>
      )}
      <TestAlarmButton />
    </fieldset>
  );
}
