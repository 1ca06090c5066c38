/**
 * The station killed in the middle of a call (SIGKILL, as a power cut or a crash would) and started
 * again on the same data: the record of that call is there, marked interrupted, and ends within a
 * heartbeat of the kill (flagged approximate), although the call wrote nothing while it rang; the
 * non-WhatsApp cache still refuses at once, and the phone's leftover WhatsApp call is ended so the
 * line works again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineView } from '../../electron/station/api/types';
import { setLogLevel } from '../../electron/station/util/log';
import { VirtualPhoneFarm } from '../../phone-agent/simulator/virtual-phone-farm';
import { adb, freePort, killAdbServer } from '../support/adb';
import { Baresip, dialOutcome } from '../support/baresip';
import { ECHO, NOT_ON_WHATSAPP } from '../support/call-rig';
import { Kamailio } from '../support/kamailio';
import { waitFor } from '../support/wait';
import { HEARTBEAT_MS } from '../../electron/station/calllog/call-log';

/** A contact whose phone rings for two minutes: a call that writes nothing to its record while it rings. */
const SLOW = '15550109077';

const dir = mkdtempSync(join(tmpdir(), 'sip2wa-crash-'));
const dataDir = join(dir, 'data');
let kamailio: Kamailio;
let farm: VirtualPhoneFarm;
let desk: Baresip;
let adbPort: number;
let apiPort: number;
let station: ChildProcess | null = null;
/** The latest part of what the running station wrote to stderr: shown when a wait fails. */
let stationLog = '';
/** Each step's time, printed at the end: a slow machine shows where the time went. */
const steps: string[] = [];
let stepStart = performance.now();

function step(done: string): void {
  const now = performance.now();
  steps.push(`${done}: ${Math.round(now - stepStart)} ms`);
  stepStart = now;
}

/**
 * Starts serve.ts on a port free a moment ago: each start takes a new one, as the killed station's port
 * can be taken by another process's connection before the second start (seen on a busy machine).
 */
async function startStation(): Promise<ChildProcess> {
  apiPort = await freePort();
  // node itself with tsx as a loader: one process, so SIGKILL kills the station and nothing survives it.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/station/serve.ts', '--config', join(dir, 'station.json'), '--data', dataDir, '--port', String(apiPort), '--adb-port', String(adbPort)],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SIP2WA_LOG: 'warn' } },
  );
  stationLog = '';
  child.stderr!.on('data', (b: Buffer) => (stationLog = (stationLog + b.toString()).slice(-20_000)));
  return child;
}

/** The line's registration state; throws (ending the wait at once) when the station has exited. */
async function lineState(): Promise<string | undefined> {
  if (station?.exitCode !== null) throw new Error(`the station exited (${station?.exitCode}): ${stationLog.slice(-2_000)}`);
  const res = await fetch(`http://127.0.0.1:${apiPort}/api/lines`, { signal: AbortSignal.timeout(5_000) });
  return ((await res.json()) as LineView[]).find((l) => l.id === 'wa1')?.registration.state;
}

interface Row {
  destination: string;
  outcome: string | null;
  hangupSide: string | null;
  ringingAt: number | null;
  endedAt: number | null;
  updatedAt: number;
  endApproximate: number;
  policyRule: string | null;
}

function records(): Row[] {
  const db = new Database(join(dataDir, 'station.db'), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT destination, outcome, hangup_side AS hangupSide, ringing_at AS ringingAt, ended_at AS endedAt, updated_at AS updatedAt,
           end_approximate AS endApproximate, policy_rule AS policyRule FROM call_records ORDER BY started_at`,
      )
      .all() as never;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  setLogLevel('error');
  kamailio = await Kamailio.start({ users: { '2001': 'line-pass-2001', '1001': 'desk-pass-1001' } });
  adbPort = await freePort();
  await adb(adbPort, 'start-server');
  farm = new VirtualPhoneFarm({
    count: 1,
    basePort: 0,
    adbPort,
    scenario: {
      contacts: [
        { number: ECHO, behaviour: 'echo', answerAfterMs: 200 },
        { number: SLOW, behaviour: 'echo', answerAfterMs: 120_000 },
        { number: NOT_ON_WHATSAPP, behaviour: 'not-on-whatsapp' },
      ],
    },
  });
  await farm.start();
  writeFileSync(
    join(dir, 'station.json'),
    JSON.stringify({
      version: 1,
      pbx: [{ id: 'pbx', host: kamailio.address, port: kamailio.port, transport: 'udp', registerExpires: 60 }],
      lines: [{ id: 'wa1', serial: farm.phones[0]!.serial, pbx: 'pbx', user: '2001', password: 'line-pass-2001' }],
      media: { bindAddress: '127.0.0.1', rtpPortMin: 43000, rtpPortMax: 43999 },
      routing: { prefixes: [{ prefix: '00111' }] },
      policy: { pauseBetweenCalls: { enabled: false } },
    }),
  );
  desk = new Baresip({ dir: mkdtempSync(join(dir, 'desk-')), registrar: `${kamailio.address}:${kamailio.port}`, user: '1001', password: 'desk-pass-1001', displayName: 'Reception', codecs: ['PCMU'] });
  await desk.start();
  await desk.waitRegistered();
}, 60_000);

afterAll(async () => {
  station?.kill('SIGKILL');
  await desk?.stop();
  await farm?.stop();
  await kamailio?.stop();
  await killAdbServer(adbPort);
});

describe('the station killed mid-call', () => {
  // Each wait below is bounded on its own; the test's budget is their sum, so a slow machine fails a
  // named wait rather than the whole test, and the steps' times say where a slow run spent its time.
  it('keeps the record of the call, marked interrupted, and the filters keep their memory', { timeout: 240_000 }, async () => {
    try {
      await killedMidCall();
    } catch (err) {
      throw new Error(`${(err as Error).message}\nsteps: ${steps.join('; ')}\nstation log:\n${stationLog.slice(-4_000)}`);
    }
    console.log(`steps: ${steps.join('; ')}`);
  });
});

async function killedMidCall(): Promise<void> {
  const phone = farm.phones[0]!.device.account;
  const dials = () => farm.whatsapp.callsPlaced(phone, NOT_ON_WHATSAPP);
  stepStart = performance.now();
  station = await startStation();
  await waitFor('line registered', async () => (await lineState()) === 'registered', 45_000);
  step('station started, line registered');
  const uri = (n: string) => `sip:00111${n}@${kamailio.address}:${kamailio.port}`;
  expect((await dialOutcome(desk, uri(NOT_ON_WHATSAPP))).reason).toMatch(/^488/);
  expect(dials()).toBe(1);
  step('488 learned');

  // A call that rings: after its ringing is recorded nothing about it changes, so only the station's
  // heartbeat moves its last-write time. Three beats past the ringing, the station is killed.
  const closing = desk.events.length;
  desk.dial(uri(SLOW));
  const slow = () => records().find((r) => r.destination === SLOW);
  await waitFor('the call ringing on the phone', () => slow()?.ringingAt, 20_000);
  await waitFor('three heartbeats past the ringing', () => slow()!.updatedAt >= slow()!.ringingAt! + 3 * HEARTBEAT_MS, 10 * HEARTBEAT_MS, 100);
  step('call ringing, three heartbeats');
  station.kill('SIGKILL');
  const killedAt = Date.now();
  if (station.exitCode === null && station.signalCode === null) await new Promise((r) => station!.once('exit', r));
  desk.hangup();
  await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 20_000, closing);
  step('station killed, caller hung up');
  // Killed: the record of the call is still open on disk.
  expect(slow()).toMatchObject({ outcome: null, endedAt: null });

  station = await startStation();
  await waitFor('line registered again', async () => (await lineState()) === 'registered', 45_000);
  step('station started again, line registered');
  const recovered = slow()!;
  expect(recovered).toMatchObject({ outcome: 'interrupted', hangupSide: 'station', endApproximate: 1 });
  // Its end is the last heartbeat: at most one beat (and the time a write takes) before the kill.
  expect(killedAt - recovered.endedAt!).toBeGreaterThanOrEqual(0);
  expect(killedAt - recovered.endedAt!).toBeLessThan(HEARTBEAT_MS + 500);
  console.log(`crashed call ended ${killedAt - recovered.endedAt!} ms before the kill, ${recovered.endedAt! - recovered.ringingAt!} ms after its last own write`);

  // The non-WhatsApp cache survived: refused by the rule, and the phone was not told to dial.
  expect((await dialOutcome(desk, uri(NOT_ON_WHATSAPP))).reason).toMatch(/^488/);
  expect(dials()).toBe(1);
  expect(records().at(-1)).toMatchObject({ outcome: 'filtered', policyRule: 'not-on-whatsapp' });
  step('488 from the cache');

  // The phone's leftover WhatsApp call was ended: the line carries a new call.
  expect((await dialOutcome(desk, uri(ECHO), 30_000)).established).toBe(true);
  const closingAgain = desk.events.length;
  desk.hangup();
  await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 20_000, closingAgain);
  await waitFor('answered record', () => records().filter((r) => r.destination === ECHO && r.outcome === 'answered').length === 1);
  step('new call carried');
}
