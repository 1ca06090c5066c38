/**
 * Feeds the store from the station: pushed events as they come, and on every (re)connection the
 * things the station does not push on its own (info, the events backlog, the lines once more).
 */
import type { ConsoleClient } from '../api/client';
import type { StationStore } from './station-store';

export function bindClient(store: StationStore, client: ConsoleClient): () => void {
  const s = () => store.getState();
  const fail = (what: string) => (err: Error) => s().toast('error', `${what}: ${err.message}`);
  const load = (): void => {
    client.call('station.info', {}).then(s().setInfo, fail('station info'));
    client.call('events.list', { limit: 200 }).then(s().setEvents, fail('events'));
    client.call('lines.list', {}).then(s().applyLines, fail('lines'));
    // A test dial still in progress (the page was closed or reloaded during it) shows again with its controls.
    client.call('testDial.current', {}).then(s().setTestDial, fail('test dial'));
  };
  const offs = [
    client.on('lines', (lines) => s().applyLines(lines)),
    client.on('info', (info) => s().setInfo(info)),
    client.on('testDial', (view) => s().setTestDial(view)),
    client.on('log', (entry) => s().addEvent(entry)),
  ];
  if (client.onConnection) {
    offs.push(
      client.onConnection((status) => {
        s().setConnection(status);
        if (status.state === 'connected') load();
      }),
    );
  } else {
    s().setConnection({ state: 'connected', detail: null });
    load();
  }
  return () => offs.forEach((off) => off());
}
