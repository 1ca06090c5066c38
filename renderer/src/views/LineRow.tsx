/**
 * One line of the line table: the card's facts in one row. Like the card, a row subscribes to its own
 * line only, so a snapshot that changes one line renders one row.
 */
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CallView, LineView } from '../../../electron/station/api/types';
import { CallTimer } from '../components/CallTimer';
import { LevelMeter } from '../components/LevelMeter';
import type { RowResult } from '../store/bulk-actions';
import { lineProblems, worstLevel } from '../store/line-problems';
import { useStation } from '../store/station-context';
import { DIRECTION_LABELS, hasSipLeg, nameRepeatsNumber } from './CallPart';

function pct(v: number | null): string {
  return v === null ? '—' : `${Math.round(v * 100)}%`;
}

function CallCell({ call, last }: { call: CallView | null; last: CallView | null }) {
  if (!call) {
    if (!last) return <td className="muted">—</td>;
    return (
      <td className="muted" data-testid="row-last-call" title={last.endReason ?? undefined}>
        last: +{last.number || '…'} {last.outcome ?? 'ended'}
        {last.sipCode ? ` (SIP ${last.sipCode})` : ''}
      </td>
    );
  }
  const name = call.name && !nameRepeatsNumber(call.name, call.number) ? ` ${call.name}` : '';
  return (
    <td data-testid="row-call" data-call-state={call.state}>
      <span className="call-state">{call.state}</span> {DIRECTION_LABELS[call.direction] ?? call.direction} +{call.number || '…'}
      {name} <CallTimer since={call.answeredAt ?? call.startedAt} />
      {call.codec || hasSipLeg(call) ? <span className="codec"> {call.codec ?? 'no codec yet'}</span> : null}
    </td>
  );
}

function TodayCell({ line }: { line: LineView }) {
  const t = line.today;
  if (!t) return <td className="muted">—</td>;
  const capped = (value: number, cap: number | null) => `${value}${cap !== null ? `/${cap}` : ''}`;
  const full = (t.caps.uniquePerDay !== null && t.uniqueNumbers >= t.caps.uniquePerDay) || (t.caps.uniquePerHour !== null && t.uniqueLastHour >= t.caps.uniquePerHour);
  return (
    <td className={full ? 'cap-full' : undefined} data-testid="row-today">
      {t.attempts} calls · ASR {pct(t.asr)} · ACD {t.acdSeconds === null ? '—' : `${Math.round(t.acdSeconds)} s`} ·{' '}
      <span className="today-unique" title="unique numbers called this hour / today, of the caps">
        uniq {capped(t.uniqueLastHour, t.caps.uniquePerHour)}/h {capped(t.uniqueNumbers, t.caps.uniquePerDay)}/d
      </span>
    </td>
  );
}

interface Props {
  lineId: string;
  selected: boolean;
  result: RowResult | undefined;
  onToggle(lineId: string): void;
  onOpen(lineId: string): void;
}

export const LineRow = memo(function LineRow({ lineId, selected, result, onToggle, onOpen }: Props) {
  const line = useStation(useShallow((s) => s.lines[lineId]));
  const pbxConfigured = useStation((s) => (s.info ? s.info.pbxConfigured : null));
  const problems = useMemo(() => (line ? lineProblems(line, pbxConfigured === null ? null : { pbxConfigured }) : []), [line, pbxConfigured]);
  if (!line) return null;
  const level = worstLevel(problems);
  const { device: d, agent: a, call } = line;
  const stats = call?.stats ?? null;
  return (
    <tr
      className={`line-row${level ? ` row-${level}` : ''}${selected ? ' selected' : ''}`}
      data-testid="line-row"
      data-line-id={line.id}
      data-state={line.registration.state}
      data-device-state={d?.state ?? 'none'}
      data-problem={level ?? ''}
    >
      <td>
        <input type="checkbox" checked={selected} onChange={() => onToggle(line.id)} aria-label={`select line ${line.id}`} />
      </td>
      <td>
        <button type="button" className="link line-open" onClick={() => onOpen(line.id)} title={`open line ${line.id}`}>
          {line.id}
        </button>
        {line.sip && !line.sip.enabled ? <span className="badge off">off</span> : null}
      </td>
      <td>
        {d ? (
          <>
            <span className="serial" title={d.props ? `${d.props.manufacturer} ${d.props.model}` : 'unknown model'}>
              {d.serial}
            </span>{' '}
            <span className={`badge state-${d.state}`}>{d.state}</span>
          </>
        ) : (
          <span className="muted">not seen</span>
        )}
      </td>
      <td>{a?.account ? `+${a.account}` : <span className="muted">—</span>}</td>
      <td>
        <span className={`badge reg-${line.registration.state}`}>{line.registration.state}</span>
        {line.sip && pbxConfigured !== false ? ` ${line.sip.user}@${line.sip.pbx}` : ''}
      </td>
      <CallCell call={call} last={line.lastCall} />
      <td className="levels">
        {stats ? (
          <>
            <LevelMeter dbfs={stats.levelInDbfs} label="PBX in" testId="level-in" />
            <LevelMeter dbfs={stats.levelOutDbfs} label="phone out" testId="level-out" />
          </>
        ) : null}
      </td>
      <td>
        {stats
          ? `${stats.jitterMs.toFixed(1)} ms · ${stats.packetsReceived > 0 ? ((100 * stats.lost) / (stats.lost + stats.packetsReceived)).toFixed(1) : '0.0'}%`
          : null}
      </td>
      <td>
        {a ? (
          <>
            {a.batteryLevel === 255 ? '?' : `${a.batteryLevel}%`}
            {a.charging ? ' charging' : ''} · {(a.temperatureDeciC / 10).toFixed(1)} °C
          </>
        ) : null}
      </td>
      <TodayCell line={line} />
      <td className="row-problem" data-testid="row-problem">
        {problems.map((p) => p.text).join(' · ')}
      </td>
      <td className={`row-result${result ? ` result-${result.status}` : ''}`} data-testid="row-result" data-status={result?.status ?? ''} role="status">
        {result?.text ?? ''}
      </td>
    </tr>
  );
});
