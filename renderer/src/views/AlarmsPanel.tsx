/**
 * Alarms, above the events: what is firing now (worst first, with its severity), the receivers whose
 * deliveries wait in the queue and why, and deliveries that failed for good. Read with alarms.list when
 * the view opens, whenever a new event arrives (alarms are raised and cleared by events) and every
 * few seconds (a hold-off ends without an event).
 */
import { useEffect, useState } from 'react';
import type { AlarmsView } from '../../../electron/station/api/types';
import { useClient, useStation } from '../store/station-context';

const REFRESH_MS = 5_000;

export function AlarmsPanel() {
  const client = useClient();
  const latest = useStation((s) => s.events[0]?.id ?? 0);
  const [view, setView] = useState<AlarmsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const read = () =>
      client.call('alarms.list', {}).then(
        (v) => live && (setView(v), setError(null)),
        (err: Error) => live && setError(err.message),
      );
    void read();
    const timer = setInterval(() => void read(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client, latest]);
  if (error) return <p className="bad-text">Alarms: {error}</p>;
  if (!view) return null;
  const waiting = view.receivers.filter((r) => r.queued > 0 || r.lastError);
  return (
    <section className="alarms" aria-label="alarms">
      <h3>Alarms {view.firing.length ? `(${view.firing.length} firing)` : ''}</h3>
      {view.firing.length === 0 ? <p className="muted">No alarm is firing.</p> : null}
      {view.firing.length ? (
        <table className="records">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Rule</th>
              <th>Line</th>
              <th>Since</th>
              <th>Count</th>
              <th>What is wrong</th>
            </tr>
          </thead>
          <tbody>
            {view.firing.map((a) => (
              <tr key={a.id} data-testid="alarm-row">
                <td>
                  <span className={`badge sev-${a.severity}`}>{a.severity}</span>
                </td>
                <td>{a.rule}</td>
                <td>{a.lineId ?? ''}</td>
                <td>{new Date(a.firstAt).toLocaleTimeString()}</td>
                <td>{a.count}</td>
                <td>{a.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {waiting.map((r) => (
        <p key={r.id} className="bad-text" data-testid="receiver-waiting">
          Receiver {r.id}: {r.queued} {r.queued === 1 ? 'delivery' : 'deliveries'} queued{r.nextAttemptAt ? `, next try ${new Date(r.nextAttemptAt).toLocaleTimeString()}` : ''}
          {r.lastError ? ` (${r.lastError})` : ''}
        </p>
      ))}
      {view.failures.slice(0, 10).map((f, i) => (
        <p key={i} className="bad-text" data-testid="delivery-failure">
          {new Date(f.at).toLocaleTimeString()} delivery to {f.receiver} failed ({f.what}): {f.reason}
        </p>
      ))}
    </section>
  );
}
