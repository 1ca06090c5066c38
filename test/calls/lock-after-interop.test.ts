/**
 * Lock-after and /metrics on a real station: kamailio as the PBX, a virtual phone whose simulated
 * WhatsApp has a contact that is always busy, a baresip desk phone and SIPp as callers.
 *
 * Three unanswered calls in a row (486 busy) pause the line: a call to it gets 503 (kamailio turns it
 * into 500 for the desk phone, RFC 3261 16.7; SIPp straight from the PBX's address sees the 503 and
 * its Warning naming the rule and until when), the pause shows on the line and in the events, the
 * operator lifts it through the command API and the next call is carried. Then a Prometheus text
 * parser (a library) reads /metrics: the counters and histogram counts match the calls made, and off
 * loopback it is refused without the access token.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import parsePrometheusTextFormat, { type PrometheusFamily as Family } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandHandler } from '../../electron/station/server/command-handler';
import { startApiServer, type ApiServer } from '../../electron/station/server/http-server';
import { createMetrics, type StationMetrics } from '../../electron/station/server/metrics';
import { dialOutcome, type Baresip } from '../support/baresip';
import { BUSY, CallRig, ECHO, LINE_USER } from '../support/call-rig';
import { runSipp } from '../support/sipp';
import { waitFor } from '../support/wait';
import { WsTestClient } from '../support/ws-client';

const LOCK = { enabled: true, failed: 3, unanswered: 3, short: 0, shortSeconds: 10, pauseMinutes: 30 };
const rig = new CallRig({ config: { routing: { prefixes: [{ prefix: '00111' }] }, policy: { pauseBetweenCalls: { enabled: false }, lockAfter: LOCK } } });
const TOKEN = 'metrics-test-token-4f9a2c';
/** Another machine on the network, as far as the station can tell. */
const STRANGER = '127.0.0.2';
/** What a caller behind a proxy gets for the station's 503. */
const FILTERED = /^50[03] Service Unavailable/;
let desk: Baresip;
let metrics: StationMetrics;
let api: ApiServer;
let client: WsTestClient;

beforeAll(async () => {
  await rig.start();
  desk = await rig.deskPhone('PCMU', 'manual', 'Reception');
  metrics = createMetrics(rig.station);
  // Bound beyond loopback, as `npm run serve --host` with its token would be.
  api = await startApiServer(rig.station, '127.0.0.3', 0, { ws: { source: rig.station, handle: createCommandHandler(rig.station) }, token: TOKEN, metrics, consoleDir: null });
  client = await WsTestClient.open(`${api.url.replace('http', 'ws')}/api/ws?token=${TOKEN}`);
}, 60_000);

afterAll(async () => {
  client?.ws.close();
  await api?.close();
  metrics?.stop();
  await rig.stop();
});

const line = () => rig.station.line('wa1')!;
const view = () => rig.station.lines().find((l) => l.id === 'wa1')!;
const lastCall = () => rig.station.counters!.recent.at(-1)!;
const pauseEvents = () => rig.station.events.list().filter((e) => e.kind === 'pause' && e.lineId === 'wa1');

/** GET /metrics from `from`, with the token or without. */
function scrape(from: string, token: string | null): Promise<{ status: number; type: string; body: string }> {
  const target = new URL(api.url);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path: '/metrics', localAddress: from, headers }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('lock-after on a real line', () => {
  it('pauses the line after 3 unanswered calls; a call to it gets 503 with the Warning; the operator lifts it and the next call is carried', { timeout: 90_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const r = await dialOutcome(desk, rig.dialled(`00111${BUSY}`));
      expect(r.reason).toMatch(/^486/);
      await waitFor('line idle', () => !line().busy);
    }
    const { value: paused } = await waitFor('the line paused', () => view().paused, 5_000);
    expect(paused).toMatchObject({ rule: 'lock-after', kind: 'unanswered', reason: '3 calls were not answered since its last good call (limit 3)' });
    expect(Date.parse(paused.until) - Date.parse(paused.since)).toBe(30 * 60_000);
    expect(pauseEvents()).toMatchObject([{ level: 'error', message: expect.stringContaining(`lock-after: line wa1 paused until ${paused.until}`) }]);
    await waitFor('the pause pushed to the console', () => client.lines().find((l) => l.id === 'wa1')?.paused?.kind === 'unanswered');

    const phone = rig.farm.phones[0]!.device.account;
    const echoDials = rig.farm.whatsapp.callsPlaced(phone, ECHO);
    const refused = await dialOutcome(desk, rig.dialled(`00111${ECHO}`));
    expect(refused.reason).toMatch(FILTERED);
    expect(lastCall().view()).toMatchObject({ outcome: 'filtered', sipCode: 503, rule: 'lock-after' });
    // Straight from the PBX's address: the 503 itself, whose Warning the scenario checks.
    const stationPort = line().account!.transport.localPort!;
    const sipp = await runSipp({ scenario: 'uac-invite-paused.xml', remote: `127.0.0.1:${stationPort}`, service: LINE_USER, keys: { caller_name: ECHO }, timeoutMs: 15_000 });
    expect(sipp.code, sipp.stdout.slice(-2000)).toBe(0);
    await waitFor('both calls refused by lock-after', () => rig.station.counters!.recent.filter((c) => c.ended && c.rule === 'lock-after').length === 2);
    expect(rig.farm.whatsapp.callsPlaced(phone, ECHO)).toBe(echoDials);

    await expect(client.result('line.liftPause', { lineId: 'wa1' })).resolves.toEqual({ lifted: true });
    expect(view().paused).toBeNull();
    expect(pauseEvents()[0]).toMatchObject({ level: 'info', message: 'lock-after: line wa1 takes calls again: the operator lifted the pause' });
    expect((await client.call('line.liftPause', { lineId: 'wa1' })).ok).toBe(false);

    const carried = await dialOutcome(desk, rig.dialled(`00111${ECHO}`));
    expect(carried.established, carried.reason).toBe(true);
    const from = desk.events.length;
    desk.hangup();
    await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, from);
    await waitFor('line idle', () => !line().busy);
    expect(lastCall().view()).toMatchObject({ outcome: 'answered', sipCode: 200 });
    expect(rig.farm.whatsapp.callsPlaced(phone, ECHO)).toBe(echoDials + 1);
  });
});

describe('GET /metrics', () => {
  it('reads in a Prometheus text parser with counters and histograms that match the calls made', { timeout: 30_000 }, async () => {
    await client.result('line.reRegister', { lineId: 'wa1' });
    await waitFor('registered again', () => line().state === 'registered' && line().account?.registration.status.state === 'registered', 10_000);
    const r = await scrape('127.0.0.1', TOKEN);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(r.body);
    const family = (name: string) => {
      const f = families.find((x) => x.name === name);
      if (!f) throw new Error(`no metric ${name} in /metrics`);
      return f;
    };
    const value = (name: string, labels: Record<string, string>) =>
      Number(family(name).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? NaN);
    const calls = (outcome: string) => value('sip2wa_calls_total', { line: 'wa1', direction: 'sip-to-whatsapp', outcome });

    // The calls of the test above: three busy, two refused while paused (desk phone and SIPp), one answered.
    expect([calls('busy'), calls('filtered'), calls('answered')]).toEqual([3, 2, 1]);
    expect(family('sip2wa_calls_total').type).toBe('COUNTER');
    expect(value('sip2wa_policy_refusals_total', { rule: 'lock-after' })).toBe(2);
    const records = rig.station.callLog!.query({}, { limit: 100 }).records;
    const duration = family('sip2wa_call_duration_seconds');
    expect(duration.type).toBe('HISTOGRAM');
    const [sipDuration] = duration.metrics;
    expect(Number(sipDuration!.count)).toBe(records.filter((c) => c.answeredAt !== null).length);
    expect(Number(sipDuration!.buckets!['+Inf'])).toBe(1);
    expect(Number(sipDuration!.sum)).toBeGreaterThan(0);
    const [pdd] = family('sip2wa_post_dial_delay_seconds').metrics;
    expect(Number(pdd!.count)).toBe(records.filter((c) => c.ringingAt !== null).length);
    expect(Number(pdd!.count)).toBeGreaterThanOrEqual(1);

    expect(value('sip2wa_lines', { state: 'registered' })).toBe(1);
    expect(value('sip2wa_lines', { state: 'failed' })).toBe(0);
    expect(value('sip2wa_line_registered', { line: 'wa1' })).toBe(1);
    expect(value('sip2wa_line_paused', { line: 'wa1' })).toBe(0);
    expect(value('sip2wa_registration_attempts_total', { line: 'wa1' })).toBeGreaterThanOrEqual(1);
    expect(value('sip2wa_registration_failures_total', { line: 'wa1' })).toBe(0);
    expect(value('sip2wa_phone_battery_percent', { line: 'wa1' })).toBe(view().agent!.batteryLevel);
    expect(value('sip2wa_phone_temperature_celsius', { line: 'wa1' })).toBeCloseTo(view().agent!.temperatureDeciC / 10, 5);
    // The alarms the station's alarm rules raise, by severity (the line paused was one; lifting it cleared it).
    const firing = rig.station.alarms!.view().firing;
    const severities = family('sip2wa_alarms_firing').metrics.map((m) => [m.labels?.severity, Number(m.value)]);
    expect(severities.length).toBeGreaterThan(1);
    expect(severities.reduce((n, [, v]) => n + Number(v), 0)).toBe(firing.length);
    metrics.setAlarmsFiring(2);
    expect(parsePrometheusTextFormat((await scrape('127.0.0.1', TOKEN)).body).find((f: Family) => f.name === 'sip2wa_alarms_firing')?.metrics).toEqual([{ labels: { severity: 'any' }, value: '2' }]);
    metrics.setAlarmsFiring(null);
    // The process's own figures (prom-client's default metrics).
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) expect(family(name).metrics.length).toBeGreaterThan(0);
    // Every metric the Grafana dashboard charts is one this station serves.
    const dashboard = readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8');
    const charted = new Set([...dashboard.matchAll(/\b(?:sip2wa|process|nodejs)_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')));
    expect([...charted].filter((name) => !families.some((f) => f.name === name))).toEqual([]);
    expect(charted.size).toBeGreaterThan(15);
    // No label carries a phone number.
    expect(r.body).not.toContain(BUSY);
    expect(r.body).not.toContain(ECHO);
  });

  it('is refused off loopback without the token, and served with it', async () => {
    const refused = await scrape(STRANGER, null);
    expect(refused.status).toBe(401);
    expect(refused.body).not.toContain('sip2wa_calls_total');
    expect((await scrape(STRANGER, 'a-wrong-token-of-some-length')).status).toBe(401);
    const served = await scrape(STRANGER, TOKEN);
    expect(served.status).toBe(200);
    expect(served.body).toContain('sip2wa_calls_total');
  });
});
