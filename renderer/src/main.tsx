/** Entry point: one store, one client (IPC in the desktop app, WebSocket in a browser), the console. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { App } from './components/App';
import { bindClient } from './store/bind-client';
import { StationProvider } from './store/station-context';
import { createStationStore } from './store/station-store';
import './styles.css';

const store = createStationStore();
const client = createClient();
bindClient(store, client);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StationProvider store={store} client={client}>
      <App />
    </StationProvider>
  </StrictMode>,
);
