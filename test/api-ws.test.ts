/**
 * The station's command API over WebSocket (serve mode): the grid's state arrives as events, commands
 * are validated (a bad one changes nothing and says why), an operator hangs up a live call, and the
 * access rules hold: a token when one is set, and no page from another origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandHandler } from '../electron/station/server/command-handler';
import { startApiServer, type ApiServer } from '../electron/station/server/http-server';
import { dialOutcome } from './support/baresip';
import { CallRig, ECHO } from './support/call-rig';
import { waitFor } from './support/wait';
import { WsTestClient as Client } from './support/ws-client';

const rig = new CallRig();
let api: ApiServer;
let guarded: ApiServer;
const TOKEN = 'a-long-enough-test-token';

beforeAll(async () => {
  await rig.start();
  const ws = { source: rig.station, handle: createCommandHandler(rig.station) };
  api = await startApiServer(rig.station, '127.0.0.1', 0, { ws });
  guarded = await startApiServer(rig.station, '127.0.0.1', 0, { ws, token: TOKEN });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await guarded?.close();
  await rig.stop();
});

const wsUrl = (server: ApiServer, query = '') => `${server.url.replace('http', 'ws')}/api/ws${query}`;

describe('command API over WebSocket', () => {
  it('pushes the lines, answers commands, and refuses bad ones without changing anything', { timeout: 30_000 }, async () => {
    const client = await Client.open(wsUrl(api));
    await waitFor('first lines event', () => client.events.length > 0);
    expect(client.events[0]!.data.map((l) => l.id)).toEqual(['wa1']);
    const list = await client.call('lines.list', {});
    expect(list).toMatchObject({ ok: true, result: [{ id: 'wa1', registration: { state: 'registered' } }] });
    expect(await client.call('lines.delete', {})).toMatchObject({ ok: false, error: 'unknown command "lines.delete"' });
    expect(await client.call('line.sendDtmf', { lineId: 'wa1', digits: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/^line\.sendDtmf: digits: must be/) });
    expect(await client.call('line.hangUp', { lineId: 'wa1', force: true })).toMatchObject({ ok: false, error: expect.stringMatching(/unknown parameter "force"/) });
    expect(await client.call('line.hangUp', { lineId: 'wa1' })).toMatchObject({ ok: false, error: 'line wa1 has no call to hang up' });
    expect(await client.call('line.hangUp', { lineId: 'wa9' })).toMatchObject({ ok: false, error: 'no line has the id "wa9"' });
    client.ws.close();
  });

  it('lets the operator hang up a live call, and the grid follows it', { timeout: 30_000 }, async () => {
    const client = await Client.open(wsUrl(api));
    const desk = await rig.deskPhone('PCMU', 'manual', ECHO);
    expect((await dialOutcome(desk, rig.lineUri)).established).toBe(true);
    await waitFor('call in the grid', () => client.events.at(-1)?.data[0]?.call?.state === 'connected', 5_000);
    // A call in progress counts in today's figures at once, not only when it ends.
    await waitFor('the call counted on its card', () => client.events.at(-1)?.data[0]?.today?.answered === 1, 2_000);
    expect(client.events.at(-1)!.data[0]!.today).toMatchObject({ attempts: 1, answered: 1 });
    expect(await client.call('line.hangUp', { lineId: 'wa1' })).toMatchObject({ ok: true, result: { hungUp: true } });
    await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000);
    // An ended call leaves `call` (the line is free) and stays as `lastCall` with how it ended.
    await waitFor('ended in the grid', () => client.events.at(-1)?.data[0]?.lastCall?.state === 'ended', 5_000);
    expect(client.events.at(-1)!.data[0]!.call).toBeNull();
    expect(client.events.at(-1)!.data[0]!.lastCall).toMatchObject({ hangupSide: 'station', outcome: 'answered' });
    client.ws.close();
  });

  it('requires the token when one is set, and refuses pages from another origin', async () => {
    await expect(Client.open(wsUrl(guarded))).rejects.toThrow('HTTP 401');
    const ok = await Client.open(wsUrl(guarded, `?token=${TOKEN}`));
    ok.ws.close();
    await expect(Client.open(wsUrl(api), { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    expect((await fetch(`${guarded.url}/api/lines`)).status).toBe(401);
    expect((await fetch(`${guarded.url}/api/lines`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('switches a line off and on, re-registers it, and the events panel tells the operator', { timeout: 30_000 }, async () => {
    const client = await Client.open(wsUrl(api));
    const state = () => client.lines().find((l) => l.id === 'wa1')?.registration.state;
    await waitFor('registered', () => state() === 'registered', 10_000);
    expect(await client.result('line.setEnabled', { lineId: 'wa1', enabled: false })).toEqual({ enabled: false });
    await waitFor('switched off in the grid', () => state() === 'disabled', 5_000);
    expect(client.lines()[0]!.registration.reason).toBe('switched off by the operator');
    expect(await client.call('line.reRegister', { lineId: 'wa1' })).toMatchObject({ ok: false, error: 'line wa1 is switched off' });
    await client.result('line.setEnabled', { lineId: 'wa1', enabled: true });
    await waitFor('registered again', () => state() === 'registered', 10_000);
    await client.result('line.reRegister', { lineId: 'wa1' });
    await waitFor('re-registered', () => state() === 'registered', 10_000);
    const events = await client.result('events.list', { limit: 50 });
    expect(events.filter((e) => e.kind === 'registration' && e.lineId === 'wa1' && /^registered as 2001/.test(e.message)).length).toBeGreaterThanOrEqual(2);
    // Pushed as they happen, too.
    expect(client.others.some((f) => f.event === 'log' && f.data.kind === 'registration')).toBe(true);
    client.ws.close();
  });

  it('gives the charts their figures: totals, per line and a series by day', async () => {
    const client = await Client.open(wsUrl(api));
    const stats = await client.result('calls.stats', { bucket: 'day' });
    // The earlier test's answered call to the echo contact.
    expect(stats.total).toMatchObject({ attempts: 1, answered: 1, asr: 1, uniqueNumbers: 1 });
    expect(stats.lines).toEqual([expect.objectContaining({ lineId: 'wa1', attempts: 1 })]);
    expect(stats.series.length).toBeGreaterThanOrEqual(30);
    expect(stats.series.reduce((n, p) => n + p.calls, 0)).toBe(1);
    expect(client.lines()[0]!.today).toMatchObject({ attempts: 1, answered: 1, uniqueNumbers: 1 });
    expect(await client.call('calls.stats', { bucket: 'week' })).toMatchObject({ ok: false, error: expect.stringMatching(/^calls\.stats: bucket:/) });
    client.ws.close();
  });
});
