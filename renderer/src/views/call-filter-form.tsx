/** The call log's filters, as the contract's CallFilterParams. */
import { useShallow } from 'zustand/react/shallow';
import type { CallFilterParams } from '../../../electron/station/api/contract';
import { CALL_LOG_DIRECTIONS, CALL_LOG_OUTCOMES } from '../../../electron/station/calllog/call-record';
import { useStation } from '../store/station-context';

/** A date input's value (local day) as epoch ms; `endOfDay` makes the day inclusive for "to". */
export function dayToMs(value: string, endOfDay: boolean): number | undefined {
  if (!value) return undefined;
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, endOfDay ? d + 1 : d).getTime();
}

export interface FilterForm {
  from: string;
  to: string;
  lineId: string;
  direction: string;
  outcome: string;
  number: string;
}

export const EMPTY_FORM: FilterForm = { from: '', to: '', lineId: '', direction: '', outcome: '', number: '' };

export function toFilter(f: FilterForm): CallFilterParams {
  const out: CallFilterParams = {};
  const from = dayToMs(f.from, false);
  const to = dayToMs(f.to, true);
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
  if (f.lineId) out.lineId = f.lineId;
  if (f.direction) out.direction = f.direction as CallFilterParams['direction'];
  if (f.outcome) out.outcome = f.outcome as CallFilterParams['outcome'];
  const number = f.number.replace(/[^\d]/g, '');
  if (number) out.number = number;
  return out;
}

export function CallFilterFields({ form, onChange }: { form: FilterForm; onChange: (patch: Partial<FilterForm>) => void }) {
  const lineIds = useStation(useShallow((s) => s.lineIds));
  return (
    <>
      <label>
        From <input type="date" value={form.from} onChange={(e) => onChange({ from: e.target.value })} />
      </label>
      <label>
        To <input type="date" value={form.to} onChange={(e) => onChange({ to: e.target.value })} />
      </label>
      <label>
        Line
        <select value={form.lineId} onChange={(e) => onChange({ lineId: e.target.value })} data-testid="filter-line">
          <option value="">all</option>
          {lineIds.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
      </label>
      <label>
        Direction
        <select value={form.direction} onChange={(e) => onChange({ direction: e.target.value })}>
          <option value="">all</option>
          {CALL_LOG_DIRECTIONS.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
      </label>
      <label>
        Outcome
        <select value={form.outcome} onChange={(e) => onChange({ outcome: e.target.value })}>
          <option value="">all</option>
          {CALL_LOG_OUTCOMES.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      <label>
        Number <input type="search" inputMode="tel" value={form.number} onChange={(e) => onChange({ number: e.target.value })} placeholder="digits" />
      </label>
    </>
  );
}
