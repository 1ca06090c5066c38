/**
 * The read-only HTTP API of serve mode: `GET /api/lines`. Bound to 127.0.0.1 by default; the full
 * command API and the console come over the same server later.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LineView } from './types';

export interface ApiSource {
  lines(): LineView[];
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

export async function startApiServer(source: ApiSource, host = '127.0.0.1', port = 0): Promise<ApiServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://station');
    if (url.pathname === '/api/lines') {
      if (req.method !== 'GET') return send(res, 405, { error: `${req.method} is not allowed on /api/lines; use GET` });
      return send(res, 200, source.lines());
    }
    send(res, 404, { error: `no such endpoint: ${url.pathname}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
