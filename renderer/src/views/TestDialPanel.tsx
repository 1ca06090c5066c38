/**
 * The operator's test call from the PC headset: a dial pad (buttons or keyboard), a line picker, and
 * the live call the station pushes as the `testDial` event. In demo mode a click on a simulated
 * contact fills the number, and Call places the call. Without a headset the panel says so once and
 * offers the line's echo test (a tone out, its echo measured back) instead of a silent call.
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { EchoTestResult } from '../../../electron/station/api/types';
import { useShallow } from 'zustand/react/shallow';
import { CallTimer } from '../components/CallTimer';
import { LevelMeter } from '../components/LevelMeter';
import { useClient, useCommand, useStation } from '../store/station-context';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0', '⌫'] as const;

/** What a typed or pasted number keeps: digits and one leading +. */
export function cleanNumber(raw: string): string {
  const plus = raw.trim().startsWith('+') ? '+' : '';
  return plus + raw.replace(/[^\d]/g, '').slice(0, 15);
}

/** `headsetSaid`: the panel already says there is no headset, so the call does not say it again. */
function LiveTestCall({ headsetSaid }: { headsetSaid: boolean }) {
  const run = useCommand();
  const td = useStation((s) => s.testDial);
  if (!td) return null;
  const live = td.state !== 'ended';
  return (
    <div className={`test-call call-${td.state}`} data-testid="test-call" data-call-state={td.state}>
      <div>
        <strong>{td.state}</strong> +{td.number.replace(/^\+/, '')} on line {td.lineId}{' '}
        {live ? <CallTimer since={td.answeredAt ?? td.startedAt} testId="test-call-timer" /> : null}
        {td.outcome ? <span> · {td.outcome}</span> : null}
      </div>
      {td.audioProblem && !headsetSaid ? (
        <div className="problem problem-warn" data-testid="audio-problem">
          {td.audioProblem}
        </div>
      ) : null}
      <div className="call-media">
        <LevelMeter dbfs={td.levelMicDbfs} label="mic" testId="level-mic" />
        <LevelMeter dbfs={td.levelSpeakerDbfs} label="speaker" testId="level-speaker" />
      </div>
      {live ? (
        <div className="actions">
          <button type="button" aria-pressed={td.muted} onClick={() => void run('testDial.mute', { muted: !td.muted })}>
            {td.muted ? 'Unmute' : 'Mute'}
          </button>
          <button type="button" className="danger" onClick={() => void run('testDial.hangUp', {})}>
            Hang up
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function TestDialPanel() {
  const run = useCommand();
  const { open, presetLine } = useStation(useShallow((s) => ({ open: s.dialPad.open, presetLine: s.dialPad.lineId })));
  const close = useStation((s) => s.closeDialPad);
  const info = useStation((s) => s.info);
  const lineIds = useStation(useShallow((s) => s.lineIds.filter((id) => s.lines[id]?.device)));
  const active = useStation((s) => !!s.testDial && s.testDial.state !== 'ended');
  const [number, setNumber] = useState('');
  const [lineId, setLineId] = useState('');
  const [dialing, setDialing] = useState(false);
  const [echoing, setEchoing] = useState(false);
  const [echo, setEcho] = useState<EchoTestResult | null>(null);

  useEffect(() => {
    if (presetLine) setLineId(presetLine);
  }, [presetLine, open]);
  // Opening the pad asks the station which sound devices it has, so "no headset" is said before a call,
  // not after one went out silent (the answer arrives as station info; a failure says its reason there).
  const client = useClient();
  useEffect(() => {
    if (open) client.call('audio.devices', {}).catch(() => undefined);
  }, [open, client]);
  const line = lineId || lineIds[0] || '';

  if (!open && !active) return null;

  const press = (k: string) => setNumber((n) => (k === '⌫' ? n.slice(0, -1) : cleanNumber(n + k)));
  const dial = async (to: string) => {
    if (!line) return;
    setDialing(true);
    await run('testDial.start', { lineId: line, number: to });
    setDialing(false);
  };
  const echoTest = async () => {
    if (!line) return;
    setEchoing(true);
    setEcho(null);
    setEcho(await run('line.echoTest', { lineId: line }));
    setEchoing(false);
  };
  const noHeadset = !!info && !info.audio.available;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && number) void dial(number);
    if (e.key === 'Escape') close();
  };

  return (
    <aside className="dial-panel" aria-label="test dial" data-testid="dial-panel" onKeyDown={onKey}>
      <header className="card-head">
        <h2>Test dial</h2>
        <button type="button" className="link" onClick={close} aria-label="close the dial pad">
          ×
        </button>
      </header>
      {noHeadset ? (
        <div className="no-headset" data-testid="no-headset">
          <p className="problem problem-warn">No headset: {info.audio.reason ?? 'no sound device'}.</p>
          <button type="button" className="primary" data-testid="dial-echo-test" disabled={!line || echoing || active} onClick={() => void echoTest()}>
            {echoing ? 'Measuring…' : `Echo test on line ${line}`}
          </button>
          <span className="muted"> sends a tone through the line's phone and measures its echo{info.echoNumber ? ` (+${info.echoNumber})` : ''}</span>
          {echo ? (
            <p className={`echo-result ${echo.ok ? 'good' : 'bad'}`} data-testid="dial-echo-result" role="status">
              <strong>Echo test {echo.ok ? 'passed' : 'failed'}</strong>: {echo.message} · round trip {echo.roundTripMs === null ? '—' : `${Math.round(echo.roundTripMs)} ms`} · correlation{' '}
              {echo.correlation === null ? '—' : echo.correlation.toFixed(2)}
            </p>
          ) : null}
        </div>
      ) : null}
      <label>
        Line
        <select value={line} onChange={(e) => setLineId(e.target.value)} data-testid="dial-line">
          {lineIds.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
      </label>
      <input
        className="dial-number"
        aria-label="number to dial"
        data-testid="dial-number"
        inputMode="tel"
        placeholder="+62 812…"
        value={number}
        onChange={(e) => setNumber(cleanNumber(e.target.value))}
      />
      <div className="pad">
        {KEYS.map((k) => (
          <button type="button" key={k} onClick={() => press(k)} aria-label={k === '⌫' ? 'delete the last digit' : `dial ${k}`}>
            {k}
          </button>
        ))}
      </div>
      <button
        type="button"
        className={noHeadset ? '' : 'primary'}
        data-testid="dial-call"
        title={noHeadset ? 'without a headset the call carries silence' : undefined}
        disabled={!number || !line || dialing || active}
        onClick={() => void dial(number)}
      >
        {dialing ? 'Dialling…' : 'Call'}
      </button>
      {dialing && !active ? (
        // The headset may take a moment to open before the call is placed: it can be called off meanwhile.
        <button type="button" className="danger" onClick={() => void run('testDial.hangUp', {})}>
          Cancel
        </button>
      ) : null}
      {info?.demo && info.demoContacts.length ? (
        <div className="demo-contacts">
          <h3>Demo contacts</h3>
          <ul>
            {info.demoContacts.map((c) => (
              <li key={c.number}>
                <button type="button" aria-pressed={number === c.number} onClick={() => setNumber(c.number)} title={`${c.behaviour}: fills the number; Call dials it`}>
                  {c.name} <span className="muted">+{c.number.replace(/^\+/, '')} · {c.behaviour}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <LiveTestCall headsetSaid={noHeadset} />
    </aside>
  );
}
