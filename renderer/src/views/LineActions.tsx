/**
 * The buttons of a line card. Each sends one command of the contract; a refusal shows as a toast
 * (useCommand), and the button stays disabled while its command runs so it is not sent twice.
 */
import { memo, useState } from 'react';
import type { EchoTestResult } from '../../../electron/station/api/types';
import { useCommand, useStation } from '../store/station-context';
import { DemoIncoming } from './DemoIncoming';

interface Props {
  lineId: string;
  hasCall: boolean;
  enabled: boolean | null;
  hasDevice: boolean;
  /** A lock-after pause is in force: the operator may lift it. */
  paused?: boolean;
}

function EchoResult({ r, onClose }: { r: EchoTestResult; onClose: () => void }) {
  return (
    <div className={`echo-result ${r.ok ? 'good' : 'bad'}`} data-testid="echo-result" role="status">
      <strong>Echo test {r.ok ? 'passed' : 'failed'}</strong> (+{r.number}): {r.message}
      <span className="echo-figures">
        round trip {r.roundTripMs === null ? '—' : `${Math.round(r.roundTripMs)} ms`} · correlation {r.correlation === null ? '—' : r.correlation.toFixed(2)} · level{' '}
        {r.levelDbfs === null ? '—' : `${r.levelDbfs.toFixed(1)} dBFS`}
      </span>
      <button type="button" className="link" onClick={onClose} aria-label="close the echo test result">
        ×
      </button>
    </div>
  );
}

export const LineActions = memo(function LineActions({ lineId, hasCall, enabled, hasDevice, paused = false }: Props) {
  const run = useCommand();
  const openDialPad = useStation((s) => s.openDialPad);
  const [busy, setBusy] = useState<string | null>(null);
  const [echo, setEcho] = useState<EchoTestResult | null>(null);

  const act = async (name: string, fn: () => Promise<unknown>) => {
    setBusy(name);
    try {
      await fn();
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <div className="actions" role="group" aria-label={`actions for line ${lineId}`}>
        <button type="button" onClick={() => openDialPad(lineId)} disabled={hasCall}>
          Test dial
        </button>
        <button
          type="button"
          disabled={busy !== null || hasCall}
          onClick={() =>
            act('echo', async () => {
              setEcho(null);
              const r = await run('line.echoTest', { lineId });
              if (r) setEcho(r);
            })
          }
        >
          {busy === 'echo' ? 'Testing…' : 'Echo test'}
        </button>
        {hasCall ? (
          <button type="button" className="danger" disabled={busy !== null} onClick={() => act('hangup', () => run('line.hangUp', { lineId }))}>
            Hang up
          </button>
        ) : null}
        {paused ? (
          <button type="button" disabled={busy !== null} onClick={() => act('lift', () => run('line.liftPause', { lineId }))}>
            {busy === 'lift' ? 'Lifting…' : 'Lift pause'}
          </button>
        ) : null}
        {enabled !== null ? (
          <button type="button" disabled={busy !== null} onClick={() => act('enable', () => run('line.setEnabled', { lineId, enabled: !enabled }))}>
            {enabled ? 'Disable' : 'Enable'}
          </button>
        ) : null}
        <button type="button" disabled={busy !== null || !enabled} onClick={() => act('reregister', () => run('line.reRegister', { lineId }))}>
          Re-register
        </button>
        <button type="button" disabled={busy !== null || !hasDevice} onClick={() => act('restart', () => run('line.restartAgent', { lineId }))}>
          Restart agent
        </button>
        <DemoIncoming lineId={lineId} disabled={hasCall || !hasDevice} />
      </div>
      {echo ? <EchoResult r={echo} onClose={() => setEcho(null)} /> : null}
    </>
  );
});
