/** Today's counters of a line against its anti-ban caps; a cap reached is marked. */
import { memo } from 'react';
import type { LineToday } from '../../../electron/station/api/types';

function pct(v: number | null): string {
  return v === null ? '—' : `${Math.round(v * 100)}%`;
}

function Cap({ label, value, cap }: { label: string; value: number; cap: number | null }) {
  const near = cap !== null && value >= cap * 0.8;
  const full = cap !== null && value >= cap;
  return (
    <span className={`cap${full ? ' cap-full' : near ? ' cap-near' : ''}`} title={full ? `${label}: limit reached, new numbers are refused` : undefined}>
      {label} {value}
      {cap !== null ? `/${cap}` : ''}
    </span>
  );
}

export const TodayPart = memo(function TodayPart({ today }: { today: LineToday }) {
  return (
    <div className="today" data-testid="today">
      <span title="calls that reached dialling today">calls {today.attempts}</span>
      <span title="answer-seizure ratio">ASR {pct(today.asr)}</span>
      <span title="average call duration">ACD {today.acdSeconds === null ? '—' : `${Math.round(today.acdSeconds)} s`}</span>
      {today.filtered ? <span title="refused by a policy rule">filtered {today.filtered}</span> : null}
      <Cap label="unique/h" value={today.uniqueLastHour} cap={today.caps.uniquePerHour} />
      <Cap label="unique/day" value={today.uniqueNumbers} cap={today.caps.uniquePerDay} />
    </div>
  );
});
