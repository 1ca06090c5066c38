/** Routing: where the WhatsApp number comes from, prefixes (optionally to a group), echo test, DTMF, hunting. */
import { DESTINATION_SOURCES } from '../../../../electron/station/values';
import { CheckField, ListField, NumberField, TextField } from './fields';
import { useSettingsForm } from './form-state';
import { RoutingHelp } from './RoutingHelp';

export function RoutingSection() {
  const { draft, set } = useSettingsForm();
  const prefixes = draft.routing.prefixes;
  return (
    <fieldset className="section" data-testid="settings-routing">
      <legend>Routing</legend>
      <RoutingHelp draft={draft} />
      <div className="row">
        <ListField path={['routing', 'destinationOrder']} label="Destination from, in order" hint={DESTINATION_SOURCES.join(', ')} />
        <TextField path={['routing', 'testPrefix']} label="Echo-test prefix" hint="empty switches it off" />
        <NumberField path={['routing', 'offlineTimeoutS']} label="Offline after (s) without ringing" />
        <CheckField path={['routing', 'hunting']} label="Hunting: a busy line's call goes out on an idle line of its group" />
      </div>
      <div className="row">
        <NumberField path={['routing', 'dtmf', 'firstDigitTimeoutS']} label="DTMF: first digit within (s)" />
        <NumberField path={['routing', 'dtmf', 'interDigitTimeoutS']} label="DTMF: between digits (s)" />
        <NumberField path={['routing', 'dtmf', 'attempts']} label="DTMF: attempts" />
      </div>
      <h4>Prefixes</h4>
      {prefixes.map((_, i) => (
        <div className="row" key={i}>
          <TextField path={['routing', 'prefixes', i, 'prefix']} label="Prefix" />
          <TextField path={['routing', 'prefixes', i, 'group']} label="To group" optional hint="empty: the line called" />
          <button type="button" className="link danger" onClick={() => set(['routing', 'prefixes'], prefixes.filter((__, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => set(['routing', 'prefixes', prefixes.length], { prefix: '' })}>
        Add a prefix
      </button>
    </fieldset>
  );
}
