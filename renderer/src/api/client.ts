/**
 * The console's one way to the station. In the desktop app the preload exposes `window.sip2wa` (the
 * contract over IPC); in a browser (serve mode) the console talks WebSocket to the page's own origin.
 */
import type { CallExporter, StationClient } from '../../../electron/station/api/contract';
import { createHttpExporter } from './http-export';
import { createWsClient, stationWsUrl, type ConnectionAware } from './ws-client';

export type ConsoleClient = StationClient & CallExporter & Partial<ConnectionAware>;

declare global {
  interface Window {
    /** Set by the Electron preload: the same contract, carried over IPC. */
    sip2wa?: StationClient & CallExporter;
  }
}

export function createClient(win: Window = window): ConsoleClient {
  if (win.sip2wa) return win.sip2wa;
  const token = new URLSearchParams(win.location.search).get('token');
  const ws = createWsClient({ url: stationWsUrl(win.location) });
  const exporter = createHttpExporter({ token });
  return {
    call: (command, params) => ws.call(command, params),
    on: (event, listener) => ws.on(event, listener),
    onConnection: (listener) => ws.onConnection(listener),
    exportCalls: (format, filter, onProgress) => exporter.exportCalls(format, filter, onProgress),
  };
}
