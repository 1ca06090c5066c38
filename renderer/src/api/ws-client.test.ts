import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createWsClient, stationWsUrl, type ConnectionStatus, type WebSocketLike, type WsStationClient } from './ws-client';

/** A real WebSocket server speaking the contract's frames, on a fixed port so it can come back. */
async function startPeer(port = 0) {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, path: '/api/ws' });
  const received: unknown[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (raw) => {
      const req = JSON.parse(String(raw)) as { id: number; command: string; params: unknown };
      received.push(req);
      if (req.command === 'lines.list') ws.send(JSON.stringify({ id: req.id, ok: true, result: [] }));
      else if (req.command === 'line.hangUp') ws.send(JSON.stringify({ id: req.id, ok: false, error: 'line wa9 has no call to hang up' }));
      // other commands get no answer
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    wss,
    received,
    broadcast: (frame: unknown) => wss.clients.forEach((c) => c.send(JSON.stringify(frame))),
    close: () =>
      new Promise<void>((r) => {
        wss.clients.forEach((c) => c.terminate());
        wss.close();
        server.close(() => r());
      }),
  };
}

const clients: WsStationClient[] = [];
const peers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

function connect(port: number, extra: { requestTimeoutMs?: number } = {}) {
  const states: ConnectionStatus[] = [];
  const client = createWsClient({ url: `ws://127.0.0.1:${port}/api/ws`, WebSocketImpl: WebSocket as unknown as new (url: string) => WebSocketLike, backoffMinMs: 50, backoffMaxMs: 200, ...extra });
  client.onConnection((s) => states.push(s));
  clients.push(client);
  return { client, states };
}

/** Waits for what the socket brings: `cond` is checked at every turn until it holds (or 10 s pass). */
const until = (cond: () => boolean) => vi.waitFor(() => expect(cond()).toBe(true), { timeout: 10_000, interval: 5 });

describe('the WebSocket client', () => {
  it('builds the URL on the page origin and passes the token on', () => {
    expect(stationWsUrl({ protocol: 'http:', host: '10.0.0.5:8420', search: '?token=abc%2Bdef' })).toBe('ws://10.0.0.5:8420/api/ws?token=abc%2Bdef');
    expect(stationWsUrl({ protocol: 'https:', host: 'station', search: '' })).toBe('wss://station/api/ws');
  });

  it('matches replies to requests and turns a refusal into an error with the reason', async () => {
    const peer = await startPeer();
    peers.push(peer);
    const { client } = connect(peer.port);
    await expect(client.call('lines.list', {})).resolves.toEqual([]);
    await expect(client.call('line.hangUp', { lineId: 'wa9' })).rejects.toThrow('line wa9 has no call to hang up');
    expect(peer.received).toMatchObject([
      { command: 'lines.list', params: {} },
      { command: 'line.hangUp', params: { lineId: 'wa9' } },
    ]);
  });

  it('delivers pushed events to their listeners only', async () => {
    const peer = await startPeer();
    peers.push(peer);
    const { client, states } = connect(peer.port);
    const lines: unknown[] = [];
    const logs: unknown[] = [];
    client.on('lines', (d) => lines.push(d));
    const off = client.on('log', (d) => logs.push(d));
    await until(() => states.at(-1)?.state === 'connected');
    peer.broadcast({ event: 'lines', data: [{ id: 'wa1' }] });
    await until(() => lines.length === 1);
    expect(lines[0]).toEqual([{ id: 'wa1' }]);
    off();
    peer.broadcast({ event: 'log', data: { id: 1 } });
    peer.broadcast({ event: 'lines', data: [] });
    await until(() => lines.length === 2);
    expect(logs).toEqual([]);
  });

  it('rejects a request cut off by a disconnect, says so, and reconnects by itself', async () => {
    let peer = await startPeer();
    const port = peer.port;
    const { client, states } = connect(port);
    await until(() => states.at(-1)?.state === 'connected');
    const unanswered = client.call('station.info', {});
    await until(() => peer.received.length === 1);
    await peer.close();
    await expect(unanswered).rejects.toThrow('station.info: disconnected from the station before it answered');
    await until(() => states.at(-1)?.state === 'disconnected');
    expect(client.status.detail).toMatch(/^disconnected from the station/);
    // A command issued while disconnected waits for the station to come back.
    const later = client.call('lines.list', {});
    peer = await startPeer(port);
    peers.push(peer);
    await expect(later).resolves.toEqual([]);
    expect(client.status.state).toBe('connected');
  });

  it('gives up on a command the station never answers, when its time is up and not before', async () => {
    const peer = await startPeer();
    peers.push(peer);
    const { client, states } = connect(peer.port);
    await until(() => states.at(-1)?.state === 'connected');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let outcome: Error | null = null;
      void client.call('station.info', {}).catch((err: Error) => (outcome = err));
      await vi.advanceTimersByTimeAsync(19_999);
      expect(outcome).toBeNull();
      await vi.advanceTimersByTimeAsync(1);
      expect(outcome).toEqual(new Error('station.info: no answer from the station within 20 s'));
    } finally {
      vi.useRealTimers();
    }
  });
});
