/** Navigation, the connection to the station, its version and the demo badge. */
import { useShallow } from 'zustand/react/shallow';
import { useStation } from '../store/station-context';
import { VIEWS, type View } from '../store/station-store';

const LABELS: Record<View, string> = { lines: 'Lines', calls: 'Call log', settings: 'Settings', events: 'Events' };

export function TopBar() {
  const { view, navigate, connection, info, openDialPad } = useStation(
    useShallow((s) => ({ view: s.view, navigate: s.navigate, connection: s.connection, info: s.info, openDialPad: s.openDialPad })),
  );
  const errors = useStation((s) => s.events.filter((e) => e.level === 'error').length);
  return (
    <header className="topbar">
      <strong className="brand">sip2wa station</strong>
      <nav aria-label="views">
        {VIEWS.map((v) => (
          <button type="button" key={v} aria-current={view === v ? 'page' : undefined} className={view === v ? 'current' : undefined} onClick={() => navigate(v)}>
            {LABELS[v]}
            {v === 'events' && errors ? <span className="count">{errors}</span> : null}
          </button>
        ))}
      </nav>
      <button type="button" onClick={() => openDialPad(null)}>
        Test dial
      </button>
      <span className="spacer" />
      {info?.demo ? (
        <span className="badge demo" data-testid="demo-badge" title="virtual phones and simulated contacts">
          DEMO
        </span>
      ) : null}
      <span className={`conn conn-${connection.state}`} data-testid="connection" data-state={connection.state} title={connection.detail ?? undefined}>
        {connection.state === 'connected' ? 'connected' : connection.state === 'connecting' ? 'connecting…' : 'disconnected from the station'}
      </span>
      <span className="muted">{info ? `v${info.version}` : ''}</span>
    </header>
  );
}
