/**
 * One line on the grid (and a table row's detail): phone, agent, SIP registration, the call (else the
 * last one), today's figures and the actions. The card subscribes to its own line only
 * (shallow-compared), so a snapshot that leaves it unchanged does not render it again; 64 lines at 10
 * snapshots a second stay smooth.
 */
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LineView } from '../../../electron/station/api/types';
import { lineProblems, worstLevel } from '../store/line-problems';
import { useStation } from '../store/station-context';
import { CallPart } from './CallPart';
import { LineActions } from './LineActions';
import { TodayPart } from './TodayPart';

const NETWORK_LABELS: Record<string, string> = { none: 'no network', wifi: 'Wi-Fi', cellular: 'mobile', ethernet: 'Ethernet', unknown: 'network ?' };

function DevicePart({ line }: { line: LineView }) {
  const d = line.device;
  if (!d) return <div className="part device">phone not seen yet</div>;
  return (
    <div className="part device">
      <span className="model">{d.props ? `${d.props.manufacturer} ${d.props.model}` : 'unknown model'}</span>
      <span className="serial" title="adb serial">
        {d.serial}
      </span>
      <span className={`badge state-${d.state}`}>{d.state}</span>
      {d.props ? <span>Android {d.props.androidVersion}</span> : null}
      {d.props?.virtual ? <span className="badge virtual">virtual</span> : null}
      {d.pingRttMs !== null ? <span title="agent ping round trip">{Math.round(d.pingRttMs)} ms</span> : null}
      {d.lastError ? (
        <span className="last-error" title={`at ${d.lastError.at}`}>
          last fault: {d.lastError.message}
        </span>
      ) : null}
    </div>
  );
}

function AgentPart({ line }: { line: LineView }) {
  const a = line.agent;
  if (!a) return <div className="part agent muted">agent not running</div>;
  const battery = a.batteryLevel === 255 ? '?' : `${a.batteryLevel}%`;
  return (
    <div className="part agent">
      <span title="WhatsApp account">WA {a.account ? `+${a.account}` : 'no account'}</span>
      <span title={`agent ${a.software}, WhatsApp ${a.whatsappVersion}`}>agent {a.software}</span>
      <span className={a.audioRoute === 'none' ? 'bad-text' : undefined} title="how the agent reaches call audio">
        audio {a.audioRoute}
      </span>
      <span title="battery">
        battery {battery}
        {a.charging ? ' charging' : ''}
      </span>
      <span title="temperature">{(a.temperatureDeciC / 10).toFixed(1)} °C</span>
      <span title="network">
        {NETWORK_LABELS[a.networkType] ?? a.networkType}
        {a.signalLevel !== 255 ? ` ${a.signalLevel}/4` : ''}
      </span>
    </div>
  );
}

function SipPart({ line, pbxConfigured }: { line: LineView; pbxConfigured: boolean | null }) {
  const r = line.registration;
  // With no PBX at all, the banner and the line's "no PBX" say everything there is to say.
  if (pbxConfigured === false) {
    return (
      <div className="part sip">
        <span className={`badge reg-${r.state}`}>{r.state}</span>
      </div>
    );
  }
  return (
    <div className="part sip">
      <span className={`badge reg-${r.state}`}>{r.state}</span>
      {line.sip ? (
        <span title="extension @ PBX">
          {line.sip.user}@{line.sip.pbx}
          {line.sip.group ? ` · group ${line.sip.group}` : ''}
        </span>
      ) : (
        <span className="muted">no SIP account</span>
      )}
      {r.state !== 'failed' && r.reason ? <span className="muted">{r.reason}</span> : null}
    </div>
  );
}

export const LineCard = memo(function LineCard({ lineId, focused = false }: { lineId: string; focused?: boolean }) {
  // useShallow keeps the previous object when every top-level part is the same object, which the
  // store's structural sharing guarantees for parts that did not change.
  const line = useStation(useShallow((s) => s.lines[lineId]));
  const pbxConfigured = useStation((s) => (s.info ? s.info.pbxConfigured : null));
  const problems = useMemo(() => (line ? lineProblems(line, pbxConfigured === null ? null : { pbxConfigured }) : []), [line, pbxConfigured]);
  if (!line) return null;
  const level = worstLevel(problems);
  return (
    <article
      className={`line-card${level ? ` card-${level}` : ''}${line.call ? ' has-call' : ''}${focused ? ' focused' : ''}`}
      data-testid="line-card"
      data-line-id={line.id}
      data-state={line.registration.state}
      data-device-state={line.device?.state ?? 'none'}
      data-problem={level ?? ''}
      aria-label={`line ${line.id}`}
    >
      <header className="card-head">
        <h3>{line.id}</h3>
        {line.sip && !line.sip.enabled ? <span className="badge off">switched off</span> : null}
      </header>
      {problems.length ? (
        <ul className="problems">
          {problems.map((p) => (
            <li key={p.text} className={`problem problem-${p.level}`}>
              {p.text}
            </li>
          ))}
        </ul>
      ) : null}
      <DevicePart line={line} />
      <AgentPart line={line} />
      <SipPart line={line} pbxConfigured={pbxConfigured} />
      {line.call ? <CallPart call={line.call} /> : line.lastCall ? <CallPart call={line.lastCall} /> : <div className="call-idle muted">no call</div>}
      {line.today ? <TodayPart today={line.today} /> : null}
      <LineActions lineId={line.id} hasCall={!!line.call} enabled={line.sip ? line.sip.enabled : null} hasDevice={!!line.device} paused={!!line.paused} />
    </article>
  );
});
