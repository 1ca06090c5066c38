/** The console: top bar, the current view, the dial pad and the toasts. */
import { useStation } from '../store/station-context';
import { AlarmsPanel } from '../views/AlarmsPanel';
import { CallLog } from '../views/CallLog';
import { EventsPanel } from '../views/EventsPanel';
import { LineGrid } from '../views/LineGrid';
import { SettingsPage } from '../views/settings/SettingsPage';
import { TestDialPanel } from '../views/TestDialPanel';
import { Toasts } from './Toasts';
import { TopBar } from './TopBar';

export function App() {
  const view = useStation((s) => s.view);
  const connection = useStation((s) => s.connection);
  return (
    <div className="app">
      <TopBar />
      {connection.state === 'disconnected' ? (
        <div className="banner banner-error" data-testid="disconnected" role="alert">
          {connection.detail ?? 'disconnected from the station'}. What you see may be out of date.
        </div>
      ) : null}
      <main>
        {view === 'lines' ? <LineGrid /> : null}
        {view === 'calls' ? <CallLog /> : null}
        {view === 'settings' ? <SettingsPage /> : null}
        {view === 'events' ? <AlarmsPanel /> : null}
        {view === 'events' ? <EventsPanel /> : null}
      </main>
      <TestDialPanel />
      <Toasts />
    </div>
  );
}
