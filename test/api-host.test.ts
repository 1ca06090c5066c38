/**
 * DNS rebinding against the station's API, tried as an attacker's web page would: the page's own name
 * resolves to the station's address, so the browser connects to the station but sends the page's name
 * as Host (and, for a WebSocket, as Origin too, so the Origin check alone does not stop it). Requests
 * come from 127.0.0.2, another machine on the same network as far as the station can tell.
 */
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../electron/station/server/http-server';
import type { LineView } from '../electron/station/api/types';
import { WsTestClient } from './support/ws-client';

const ATTACKER = '127.0.0.2';
const LINES = [{ id: 'wa1' }] as unknown as LineView[];
const source = { lines: () => LINES, onChange: () => () => undefined };
let loopback: ApiServer;
let bound: ApiServer;
const port = (s: ApiServer): number => Number(new URL(s.url).port);

beforeAll(async () => {
  const consoleDir = mkdtempSync(join(tmpdir(), 'sip2wa-console-'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>station console</title>');
  const ws = { source, handle: async () => ({}) };
  loopback = await startApiServer(source, '127.0.0.1', 0, { ws, consoleDir });
  // A station configured with --host: it answers as that address as well as loopback.
  bound = await startApiServer(source, '127.0.0.3', 0, { ws, consoleDir });
});

afterAll(async () => {
  await loopback?.close();
  await bound?.close();
});

interface Answer {
  status: number;
  body: string;
}

/** One request from the attacker's address to the server, with the Host (and extra headers) given. */
function request(server: ApiServer, path: string, host: string, headers: Record<string, string> = {}): Promise<Answer> {
  const target = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path, localAddress: ATTACKER, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw bytes from the attacker's address, for requests the HTTP client would not send; the whole answer. */
function rawRequest(server: ApiServer, bytes: string): Promise<string> {
  const target = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.hostname, port: Number(target.port), localAddress: ATTACKER }, () => socket.write(bytes));
    let data = '';
    socket.on('data', (b: Buffer) => (data += b.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

const upgrade = (server: ApiServer, host: string, origin: string): Promise<Answer> =>
  request(server, '/api/ws', host, {
    connection: 'Upgrade',
    upgrade: 'websocket',
    origin,
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  });

describe('the API answers only the names it is bound as', () => {
  it('refuses a rebinding page with 421 and a reason, and shows it neither the lines nor the console', async () => {
    const p = port(loopback);
    for (const host of [`rebind.attacker.example:${p}`, `127.0.0.1.attacker.example:${p}`, `localhost.:${p + 1}`, 'localhost', `127.0.0.2:${p}`]) {
      const lines = await request(loopback, '/api/lines', host);
      expect(lines.status, host).toBe(421);
      expect(JSON.parse(lines.body).error, host).toMatch(/^Host ".*" (is not a name this station is bound as|names port)/);
      expect(lines.body).not.toContain('wa1');
      const page = await request(loopback, '/', host);
      expect(page.status, host).toBe(421);
      expect(page.body).not.toContain('station console');
    }
    // HTTP/1.0 allows leaving Host out; such a request names no server, so it is not this one.
    const noHost = await rawRequest(loopback, 'GET /api/lines HTTP/1.0\r\n\r\n');
    expect(noHost).toMatch(/^HTTP\/1\.1 421 /);
    expect(noHost).toMatch(/needs a Host header/);
    expect(noHost).not.toContain('wa1');
  });

  it('answers loopback names and the configured --host on its own port', async () => {
    for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]']) {
      const answer = await request(loopback, '/api/lines', `${host}:${port(loopback)}`);
      expect(answer.status, host).toBe(200);
      expect(JSON.parse(answer.body)).toEqual(LINES);
    }
    expect((await request(bound, '/api/lines', `127.0.0.3:${port(bound)}`)).status).toBe(200);
    expect((await request(bound, '/', `localhost:${port(bound)}`)).body).toContain('station console');
    // The configured host is this server's name, not another's.
    expect((await request(loopback, '/api/lines', `127.0.0.3:${port(loopback)}`)).status).toBe(421);
  });

  it('refuses the WebSocket upgrade of a rebinding page even though its Origin matches its Host', async () => {
    const evil = `rebind.attacker.example:${port(loopback)}`;
    const refused = await upgrade(loopback, evil, `http://${evil}`);
    expect(refused.status).toBe(421);
    expect(JSON.parse(refused.body).error).toMatch(/Host "rebind\.attacker\.example:\d+" is not a name this station is bound as/);
    const foreign = await upgrade(loopback, `127.0.0.1:${port(loopback)}`, 'http://rebind.attacker.example');
    expect(foreign.status).toBe(403);
    const client = await WsTestClient.open(`${loopback.url.replace('http', 'ws')}/api/ws`, { origin: loopback.url });
    try {
      await expect.poll(() => client.events.length).toBeGreaterThan(0);
      expect(client.events[0]!.data).toEqual(LINES);
    } finally {
      client.ws.close();
    }
  });
});
