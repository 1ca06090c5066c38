/** The policy: the origin's rules and the anti-ban limits, each switchable with its figures, and per-line overrides. */
import { CheckField, ListField, NumberField } from './fields';
import { LineOverrides } from './LineOverrides';
import { LOCK_AFTER_FIGURES } from './lock-after-figures';

const RULES: { key: string; label: string; figures: { key: string; label: string }[] }[] = [
  { key: 'oneCallPerLine', label: 'One call per line', figures: [] },
  { key: 'earlyHangup', label: 'Refuse callers who hang up early', figures: [{ key: 'maxPerDay', label: 'early hang-ups per day' }] },
  {
    key: 'offlineRepeat',
    label: 'Refuse numbers found offline repeatedly',
    figures: [
      { key: 'maxOffline', label: 'offline results' },
      { key: 'windowHours', label: 'within hours' },
    ],
  },
  { key: 'notOnWhatsapp', label: 'Remember numbers not on WhatsApp', figures: [{ key: 'rememberDays', label: 'days' }] },
  { key: 'uniquePerHour', label: 'Unique numbers per hour', figures: [{ key: 'max', label: 'max' }] },
  { key: 'uniquePerDay', label: 'Unique numbers per day', figures: [{ key: 'max', label: 'max' }] },
  { key: 'pauseBetweenCalls', label: 'Pause between calls', figures: [{ key: 'seconds', label: 'seconds' }] },
  { key: 'maxDuration', label: 'Maximum call duration', figures: [{ key: 'seconds', label: 'seconds' }] },
  { key: 'dedicated', label: 'Dedicated: call only numbers that called or wrote first', figures: [] },
  { key: 'lockAfter', label: 'Lock-after: pause a line after a run of bad calls', figures: LOCK_AFTER_FIGURES },
];

export function PolicySection() {
  return (
    <fieldset className="section" data-testid="settings-policy">
      <legend>Policy</legend>
      {RULES.map((r) => (
        <div className="row rule" key={r.key}>
          <CheckField path={['policy', r.key, 'enabled']} label={r.label} />
          {r.figures.map((f) => (
            <NumberField key={f.key} path={['policy', r.key, f.key]} label={f.label} />
          ))}
        </div>
      ))}
      <div className="row">
        <CheckField path={['policy', 'destinationPatterns', 'enabled']} label="Destination patterns" />
        <ListField path={['policy', 'destinationPatterns', 'allow']} label="Allow only" hint='digit prefixes ("62") or /regex/; empty: all' />
        <ListField path={['policy', 'destinationPatterns', 'deny']} label="Deny" hint="deny wins over allow" />
        <NumberField path={['policy', 'timezoneOffsetMinutes']} label="Day boundary: minutes east of UTC" optional hint="empty: the PC's time zone" />
      </div>
      <LineOverrides />
    </fieldset>
  );
}
