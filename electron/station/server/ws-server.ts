/**
 * The contract over WebSocket for serve mode: commands in, replies and state events out (the frame
 * format is in contract.ts). On loopback no token is needed; bound anywhere else the station requires
 * one (`?token=`), and a browser page from another origin is refused either way, so a web page the
 * operator happens to visit cannot drive the station.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LineView } from '../api/types';
import { ApiError, type CommandReply, type CommandRequest, type StationEvent } from '../api/contract';
import type { CommandHandler } from './command-handler';
import { tokenMatches } from './access-token';

export interface WsSource {
  lines(): LineView[];
  /** Subscribes to any change of the lines; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Subscribes to the other pushed events (events panel, test dial, station info). */
  onEvent?(listener: (event: StationEvent) => void): () => void;
}

export interface WsOptions {
  /** Required as `?token=` when set (serve sets it whenever it binds beyond loopback). */
  token?: string;
  /** Why the upgrade's Host header is refused (see host-check.ts), or null to accept it. */
  hostRefusal?: (host: string | undefined) => string | null;
}

/** The grid may update often; the console needs at most 10 snapshots a second. */
const EVENT_INTERVAL_MS = 100;
const MAX_FRAME_BYTES = 64 * 1024;

function refuse(socket: Duplex, status: number, reason: string, why = ''): void {
  const body = why ? JSON.stringify({ error: why }) : '';
  const type = why ? 'Content-Type: application/json; charset=utf-8\r\n' : '';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${type}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** The host:port of an Origin header; null for `null` or anything unparsable (refused, never thrown). */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export function attachWebSocket(server: http.Server, source: WsSource, handle: CommandHandler, opts: WsOptions = {}): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://station');
    const misdirected = opts.hostRefusal?.(req.headers.host);
    if (misdirected) return refuse(socket, 421, 'Misdirected Request', misdirected);
    if (url.pathname !== '/api/ws') return refuse(socket, 404, 'Not Found');
    if (opts.token && !tokenMatches(opts.token, url.searchParams.get('token'))) return refuse(socket, 401, 'Unauthorized');
    const origin = req.headers.origin;
    if (origin && originHost(origin) !== req.headers.host) return refuse(socket, 403, 'Forbidden', `a page from ${origin} may not drive this station`);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });

  function serve(ws: WebSocket): void {
    const send = (frame: CommandReply | StationEvent): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    send({ event: 'lines', data: source.lines() });
    let pending: NodeJS.Timeout | null = null;
    const off = source.onChange(() => {
      pending ??= setTimeout(() => {
        pending = null;
        send({ event: 'lines', data: source.lines() });
      }, EVENT_INTERVAL_MS);
    });
    const offEvents = source.onEvent?.((event) => send(event));
    ws.on('close', () => {
      off();
      offEvents?.();
      if (pending) clearTimeout(pending);
    });
    ws.on('message', (data) => {
      let request: CommandRequest;
      try {
        request = JSON.parse(String(data)) as CommandRequest;
        if (typeof request !== 'object' || request === null || typeof request.command !== 'string' || !['number', 'string'].includes(typeof request.id)) {
          throw new ApiError('a command is {"id": number|string, "command": string, "params": object}');
        }
      } catch (err) {
        return send({ id: null, ok: false, error: err instanceof ApiError ? err.message : `not JSON: ${(err as Error).message}` });
      }
      handle(request.command, request.params)
        .then((result) => send({ id: request.id, ok: true, result }))
        .catch((err: Error) => send({ id: request.id, ok: false, error: err instanceof ApiError ? err.message : `failed: ${err.message}` }));
    });
  }

  return () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}
