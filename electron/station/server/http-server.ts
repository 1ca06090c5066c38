/**
 * The read-only HTTP API of serve mode: `GET /api/lines`, `GET /api/alarms`, `GET /api/calls`,
 * `GET /api/calls/export?format=csv|json|asterisk` and `GET /api/calls/{id}/recording`, the command API
 * over WebSocket at /api/ws, `GET /metrics` for Prometheus (metrics.ts, with the API's token rule), and
 * the operator console (renderer/dist) at every other path. Bound to 127.0.0.1 by default.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequest, handleCalls, type CallsSource } from './calls-routes';
import { handleRecording } from './recording-route';
import type { CommandHandler } from './command-handler';
import { DEFAULT_CONSOLE_DIR, serveStatic } from './static-files';
import { attachWebSocket, type WsSource } from './ws-server';
import type { AlarmsView, LineView } from '../api/types';
import { requestHasToken } from './access-token';
import { allowedHostNames, hostRefusal } from './host-check';
import type { StationMetrics } from './metrics';

export interface ApiSource extends Partial<CallsSource> {
  lines(): LineView[];
  /** Firing and recent alarms, the receivers' queues, delivery failures; null until the station started. */
  alarms?: { view(): AlarmsView } | null;
  /** Where call recordings are (absent or null: none are served). */
  recordingsDir?: string | null;
}

export interface ApiServerOptions {
  /** The contract over WebSocket at /api/ws (serve mode). */
  ws?: { source: WsSource; handle: CommandHandler };
  /** Required on every request (`Authorization: Bearer TOKEN` or `?token=`) when set. */
  token?: string;
  /** The built console served at / (default renderer/dist); null serves none. */
  consoleDir?: string | null;
  /** Served at GET /metrics (Prometheus text format); absent: no /metrics. */
  metrics?: StationMetrics;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(json);
}

/** GET /metrics: what the API guards, the metrics guard too (a token off loopback). */
function serveMetrics(metrics: StationMetrics, token: string | undefined, req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
  if (token && !requestHasToken(token, req.headers, url)) return send(res, 401, { error: 'this station requires its access token (Authorization: Bearer TOKEN)' });
  if (req.method !== 'GET') return send(res, 405, { error: `${req.method} is not allowed on /metrics; use GET` });
  metrics
    .text()
    .then((body) => {
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
      res.end(body);
    })
    .catch((err: Error) => send(res, 500, { error: `metrics: ${err.message}` }));
}

export async function startApiServer(source: ApiSource, host = '127.0.0.1', port = 0, options: ApiServerOptions = {}): Promise<ApiServer> {
  const allowedHosts = allowedHostNames(host);
  // Set once listening: the Host header must name the port actually bound (port 0 picks one).
  let boundPort = port;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://station');
    const reply = (status: number, body: unknown): void => send(res, status, body);
    // Before anything else, the console's files included: a rebinding page must learn nothing.
    const misdirected = hostRefusal(req.headers.host, allowedHosts, boundPort);
    if (misdirected) return reply(421, { error: misdirected });
    if (url.pathname === '/metrics' && options.metrics) return serveMetrics(options.metrics, options.token, req, res, url);
    // The console's files carry no station data, and a page cannot put its token on the requests for
    // its own scripts: they are served without the token; everything under /api/ needs it.
    const consoleDir = options.consoleDir === undefined ? DEFAULT_CONSOLE_DIR : options.consoleDir;
    if (consoleDir && !url.pathname.startsWith('/api/') && (req.method === 'GET' || req.method === 'HEAD')) {
      serveStatic(consoleDir, req, res, url.pathname).catch((err: Error) => {
        if (res.headersSent) return void res.destroy(err);
        reply(500, { error: err.message });
      });
      return;
    }
    if (options.token && !requestHasToken(options.token, req.headers, url)) {
      return reply(401, { error: 'this station requires its access token' });
    }
    if (req.method !== 'GET') return reply(405, { error: `${req.method} is not allowed on ${url.pathname}; use GET` });
    if (url.pathname === '/api/lines') return reply(200, source.lines());
    if (url.pathname === '/api/alarms') return source.alarms ? reply(200, source.alarms.view()) : reply(503, { error: 'the alarms are not started yet' });
    handleRecording({ callLog: source.callLog ?? null, recordingsDir: source.recordingsDir ?? null }, url, req, res, reply)
      .then((handled) => handled || handleCalls({ callLog: source.callLog ?? null, db: source.db ?? null, stationId: source.stationId }, url, res, reply))
      .then((handled) => {
        if (!handled) reply(404, { error: `no such endpoint: ${url.pathname}` });
      })
      .catch((err: Error) => {
        if (res.headersSent) return void res.destroy(err);
        reply(err instanceof BadRequest ? 400 : 500, { error: err.message });
      });
  });
  const hostOk = (header: string | undefined): string | null => hostRefusal(header, allowedHosts, boundPort);
  const closeWs = options.ws ? attachWebSocket(server, options.ws.source, options.ws.handle, { token: options.token, hostRefusal: hostOk }) : () => undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const addr = server.address() as AddressInfo;
  boundPort = addr.port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`,
    close: () =>
      new Promise((resolve) => {
        closeWs();
        server.close(() => resolve());
      }),
  };
}
