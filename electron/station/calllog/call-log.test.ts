import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../util/sqlite';
import { CallLog, DAY_MS, HEARTBEAT_MS } from './call-log';
import { CALLLOG_MIGRATIONS } from './call-log-schema';
import type { CallStart } from './call-record';

const T0 = Date.UTC(2025, 2, 14, 9, 30, 0);


const call: CallStart = {
  callId: 'c1',
  sipCallId: 'a84b4c76e66710@pbx.example',
  direction: 'sip-to-whatsapp',
  lineId: 'wa1',
  deviceSerial: 'R58M1234',
  whatsappAccount: '4915100000001',
  sipAccount: '2001@office',
  caller: '201',
  destination: '4917012345678',
  destinationSource: 'prefix',
  startedAt: T0,
};

let dir: string;
let file: string;
let db: Db;
let clock: number;
let log: CallLog;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calllog-'));
  file = join(dir, 'station.db');
  db = openDatabase(file);
  clock = T0;
  log = new CallLog(db, { now: () => clock });
});

afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('call log', () => {
  it('writes the record when the call starts, visible to another connection at once', () => {
    const id = log.start(call);
    const other = openDatabase(file);
    const row = other.prepare('SELECT line_id, ended_at FROM call_records WHERE id = ?').get(id);
    other.close();
    expect(row).toEqual({ line_id: 'wa1', ended_at: null });
    expect(log.get(id)).toMatchObject({ callId: 'c1', startedAt: '2025-03-14T09:30:00.000Z', endedAt: null, outcome: null });
  });

  it('completes the record: times, post-dial delay, duration and billable seconds rounded up', () => {
    const id = log.start(call);
    clock = T0 + 1_850;
    log.update(id, { ringingAt: T0 + 1_850 });
    log.update(id, { answeredAt: new Date(T0 + 6_000), codec: 'G722' });
    expect(log.finish(id, {
      outcome: 'answered',
      endedAt: T0 + 6_000 + 61_001,
      sipCode: 200,
      hangupSide: 'whatsapp',
      rtp: { packetsSent: 3050, packetsReceived: 3047, lost: 3, jitterMs: 4.5 },
    })).toBe(true);
    expect(log.get(id)).toMatchObject({
      ringingAt: '2025-03-14T09:30:01.850Z',
      answeredAt: '2025-03-14T09:30:06.000Z',
      endedAt: '2025-03-14T09:31:07.001Z',
      postDialDelayMs: 1_850,
      durationSeconds: 67.001,
      billableSeconds: 62,
      sipCode: 200,
      outcome: 'answered',
      hangupSide: 'whatsapp',
      codec: 'G722',
      rtp: { packetsSent: 3050, packetsReceived: 3047, lost: 3, jitterMs: 4.5 },
    });
  });

  it('records a filtered call with its rule and nothing billable', () => {
    const id = log.start(call);
    log.finish(id, { outcome: 'filtered', endedAt: T0 + 15, sipCode: 403, hangupSide: 'station', policyRule: 'night hours' });
    expect(log.get(id)).toMatchObject({ outcome: 'filtered', policyRule: 'night hours', billableSeconds: 0, answeredAt: null });
  });

  it('records why the station ended a call its phone could no longer carry', () => {
    const id = log.start(call);
    log.finish(id, { outcome: 'error', endedAt: T0 + 9_000, sipCode: 200, hangupSide: 'station', endReason: 'phone VP0001 lost: unplugged' });
    expect(log.get(id)).toMatchObject({ outcome: 'error', hangupSide: 'station', endReason: 'phone VP0001 lost: unplugged', policyRule: null });
  });

  it('records an abnormal end with its cause, billed only to where the caller was last heard', () => {
    const id = log.start(call);
    log.update(id, { answeredAt: T0 + 2_000 });
    // No ACK: the call was ended 32 s after the answer, RTP from the caller stopped 4.2 s after it.
    log.finish(id, {
      outcome: 'answered',
      endedAt: T0 + 34_000,
      sipCode: 200,
      hangupSide: 'station',
      endCause: 'no-ack',
      endReason: 'no ACK from the PBX for 32 s: check Record-Route / NAT on the PBX',
      billedUntil: T0 + 6_200,
    });
    expect(log.get(id)).toMatchObject({ endCause: 'no-ack', durationSeconds: 34, billableSeconds: 5, endReason: 'no ACK from the PBX for 32 s: check Record-Route / NAT on the PBX' });
    // Never heard at all: nothing billed.
    const silent = log.start({ ...call, callId: 'c2' });
    log.finish(silent, { outcome: 'answered', answeredAt: T0 + 1_000, endedAt: T0 + 33_000, endCause: 'no-ack', billedUntil: T0 + 1_000 });
    expect(log.get(silent)).toMatchObject({ billableSeconds: 0, durationSeconds: 33 });
    // A billing point after the end changes nothing; an ordinary end has no cause.
    const normal = log.start({ ...call, callId: 'c3' });
    log.finish(normal, { outcome: 'answered', answeredAt: T0, endedAt: T0 + 10_000, billedUntil: T0 + 60_000 });
    expect(log.get(normal)).toMatchObject({ billableSeconds: 10, endCause: null });
  });

  it('adds a cause learnt after the end (a BYE the PBX refused) to the finished record, and checks it', () => {
    const id = log.start(call);
    log.finish(id, { outcome: 'answered', answeredAt: T0, endedAt: T0 + 10_000, hangupSide: 'whatsapp' });
    log.update(id, { endCause: 'bye-refused', endReason: "the PBX refused the station's BYE with 481 Call/Transaction Does Not Exist" });
    expect(log.get(id)).toMatchObject({ endCause: 'bye-refused', hangupSide: 'whatsapp', billableSeconds: 10, endReason: expect.stringMatching(/^the PBX refused/) });
    expect(() => log.update(id, { endCause: 'gremlins' as never })).toThrow(`call log: record ${id} endCause "gremlins" is not one of no-ack, bye-refused, rtp-timeout`);
  });

  it('keeps an explicit post-dial delay (calls from WhatsApp, whose INVITE leaves later)', () => {
    const id = log.start({ ...call, direction: 'whatsapp-to-sip', destinationSource: 'inbound' });
    log.update(id, { ringingAt: T0 + 5_000, postDialDelayMs: 320 });
    expect(log.get(id)?.postDialDelayMs).toBe(320);
  });

  it('ends a call once: a second finish changes nothing', () => {
    const id = log.start(call);
    expect(log.finish(id, { outcome: 'rejected', endedAt: T0 + 9_000, sipCode: 486, hangupSide: 'whatsapp' })).toBe(true);
    expect(log.finish(id, { outcome: 'local-hangup', endedAt: T0 + 12_000, sipCode: 487, hangupSide: 'sip' })).toBe(false);
    expect(log.get(id)).toMatchObject({ outcome: 'rejected', sipCode: 486, endedAt: '2025-03-14T09:30:09.000Z' });
  });

  it('names the record or the field when a write is wrong', () => {
    expect(() => log.update('nope', { codec: 'PCMU' })).toThrow('call log: no record nope to update');
    expect(() => log.finish('nope', { outcome: 'answered' })).toThrow('call log: no record nope to finish');
    expect(() => log.start({ ...call, direction: 'sideways' as never })).toThrow('call log: call c1 direction "sideways" is not one of sip-to-whatsapp, whatsapp-to-sip, echo-test');
    const id = log.start(call);
    expect(() => log.finish(id, { outcome: 'vanished' as never })).toThrow(`record ${id} outcome "vanished" is not one of answered,`);
    expect(() => log.update(id, { ringingAt: Number.NaN })).toThrow(`call log: record ${id} ringingAt is not a valid time (NaN)`);
  });

  it('closes a record left open by a killed station as interrupted, ended at its last write', () => {
    // The child starts a call, sees it answered, and dies without finishing: what a crash or kill -9 leaves.
    const callLogUrl = new URL('./call-log.ts', import.meta.url).href;
    const sqliteUrl = new URL('../util/sqlite.ts', import.meta.url).href;
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { CallLog } from ${JSON.stringify(callLogUrl)};
         import { openDatabase } from ${JSON.stringify(sqliteUrl)};
         let now = ${T0};
         const log = new CallLog(openDatabase(${JSON.stringify(file)}), { now: () => now });
         const id = log.start(${JSON.stringify(call)});
         now += 2000; log.update(id, { ringingAt: now });
         now += 4000; log.update(id, { answeredAt: now, codec: 'PCMA' });
         now += 30500; log.update(id, { rtp: { packetsSent: 1525, packetsReceived: 1525, lost: 0, jitterMs: 2 } });
         process.stdout.write(id);
         process.exit(1);`,
      ],
      { cwd: fileURLToPath(new URL('../../..', import.meta.url)), encoding: 'utf8' },
    );
    expect(child.status, child.stderr).toBe(1);
    const id = child.stdout;
    db.close();

    db = openDatabase(file);
    log = new CallLog(db, { now: () => T0 + DAY_MS });
    expect(log.get(id)?.endedAt).toBeNull();
    expect(log.recoverInterrupted()).toBe(1);
    expect(log.get(id)).toMatchObject({
      outcome: 'interrupted',
      hangupSide: 'station',
      answeredAt: '2025-03-14T09:30:06.000Z',
      endedAt: '2025-03-14T09:30:36.500Z',
      durationSeconds: 36.5,
      billableSeconds: 31,
      codec: 'PCMA',
    });
    expect(log.recoverInterrupted()).toBe(0);
  });

  it('dates a crashed call by its last heartbeat, within one heartbeat of the crash, and says the end is approximate', () => {
    const id = log.start(call);
    clock += 3_000;
    log.update(id, { answeredAt: clock });
    // No write for 40 s (no RTP statistics: a held call), but the station's heartbeat runs every 2 s.
    const crashAt = clock + 40_700;
    for (clock += HEARTBEAT_MS; clock <= crashAt; clock += HEARTBEAT_MS) expect(log.heartbeat()).toBe(1);
    const lastBeat = clock - HEARTBEAT_MS;
    log = new CallLog(db, { now: () => crashAt + DAY_MS });
    expect(log.recoverInterrupted()).toBe(1);
    const rec = log.get(id)!;
    expect(rec).toMatchObject({ outcome: 'interrupted', endApproximate: true, endedAt: new Date(lastBeat).toISOString() });
    expect(crashAt - Date.parse(rec.endedAt!)).toBeLessThan(HEARTBEAT_MS);
    // A call that ended normally says its end is exact; the heartbeat leaves ended records alone.
    const ended = log.start({ ...call, callId: 'c2' });
    log.finish(ended, { outcome: 'answered', endedAt: T0 + 9_000 });
    expect(log.heartbeat(T0 + 20_000)).toBe(0);
    expect(log.get(ended)).toMatchObject({ endApproximate: false, updatedAt: new Date(crashAt + DAY_MS).toISOString() });
  });

  it('migrates a database of the earlier schema in place, keeping its records', () => {
    // What a station of the earlier version left: the first schema, an interrupted record ended at its last write.
    const oldFile = join(dir, 'old.db');
    const old = openDatabase(oldFile);
    migrate(old, 'calllog', CALLLOG_MIGRATIONS.slice(0, 1));
    old.prepare(`INSERT INTO call_records (id, call_id, direction, line_id, device_serial, caller, destination, started_at, ended_at, updated_at, outcome)
      VALUES ('old1', 'c1', 'sip-to-whatsapp', 'wa2', 'R58M1234', '201', '4917012345678', ?, ?, ?, 'interrupted')`).run(T0, T0 + 5_000, T0 + 5_000);
    old.close();
    const upgraded = openDatabase(oldFile);
    try {
      const upgradedLog = new CallLog(upgraded, { now: () => clock });
      expect(upgraded.prepare('SELECT version FROM schema_versions WHERE module = ?').get('calllog')).toEqual({ version: CALLLOG_MIGRATIONS.length });
      // Which phone carried it was not recorded then: unknown, not guessed.
      expect(upgradedLog.get('old1')).toMatchObject({ lineId: 'wa2', carrierLineId: null, endApproximate: true, endCause: null, endedAt: new Date(T0 + 5_000).toISOString() });
      expect(upgradedLog.query({ lineId: 'wa2' }).records.map((r) => r.id)).toEqual(['old1']);
    } finally {
      upgraded.close();
    }
  });

  it('records a hunted call against both lines: found under either, counted on the phone that carried it', () => {
    // The PBX called wa2; wa2's phone was busy, so wa1's phone and WhatsApp account made the call.
    const hunted = log.start({ ...call, lineId: 'wa2', carrierLineId: null, deviceSerial: null });
    log.update(hunted, { carrierLineId: 'wa1', deviceSerial: 'R58M1234' });
    log.finish(hunted, { outcome: 'answered', answeredAt: T0 + 4_000, endedAt: T0 + 20_000 });
    const own = log.start({ ...call, callId: 'c2', lineId: 'wa2', carrierLineId: 'wa2', deviceSerial: 'R58M9999', destination: '4917099999999', startedAt: T0 + 1 });
    log.finish(own, { outcome: 'answered', answeredAt: T0 + 5_000, endedAt: T0 + 21_000 });
    expect(log.get(hunted)).toMatchObject({ lineId: 'wa2', carrierLineId: 'wa1', deviceSerial: 'R58M1234' });
    expect(log.query({ lineId: 'wa1' }).records.map((r) => r.id)).toEqual([hunted]);
    expect(log.query({ lineId: 'wa2' }).records.map((r) => r.id)).toEqual([own, hunted]);
    expect(log.query({ lineId: ['wa1', 'wa2'] }, { limit: 1 }).records.map((r) => r.id)).toEqual([own]);
    // Per-line figures (what the cards hold against the anti-ban caps) count on the carrying phone.
    const perLine = log.stats({ from: T0 - 1, to: T0 + DAY_MS }, 'day').lines;
    expect(perLine.map((l) => [l.lineId, l.attempts, l.uniqueNumbers])).toEqual([
      ['wa1', 1, 1],
      ['wa2', 1, 1],
    ]);
  });

  it('leaves alone records opened after the recovery time', () => {
    const before = log.start(call);
    const after = log.start({ ...call, callId: 'c2', startedAt: T0 + 60_000 });
    expect(log.recoverInterrupted(T0 + 1_000)).toBe(1);
    expect(log.get(before)?.outcome).toBe('interrupted');
    expect(log.get(after)?.endedAt).toBeNull();
  });

  it('prunes finished records older than the retention, never an open one', () => {
    const old = log.start({ ...call, startedAt: T0 - 40 * DAY_MS });
    log.finish(old, { outcome: 'no-answer', endedAt: T0 - 40 * DAY_MS + 30_000 });
    const oldOpen = log.start({ ...call, callId: 'c2', startedAt: T0 - 40 * DAY_MS });
    const recent = log.start({ ...call, callId: 'c3', startedAt: T0 - 10 * DAY_MS });
    log.finish(recent, { outcome: 'busy', endedAt: T0 - 10 * DAY_MS + 5_000 });
    expect(log.prune(30)).toBe(1);
    expect(log.get(old)).toBeUndefined();
    expect(log.get(oldOpen)).toBeDefined();
    expect(log.get(recent)).toBeDefined();
    expect(() => log.prune(-1)).toThrow('call log: cannot prune records older than -1 days (must be 0 or more)');
  });

  it('prunes in batches past the batch size', () => {
    const start = log.start.bind(log);
    db.transaction(() => {
      for (let i = 0; i < 12_345; i++) log.finish(start({ ...call, callId: `c${i}`, startedAt: T0 - 400 * DAY_MS + i }), { outcome: 'offline', endedAt: T0 - 400 * DAY_MS + i + 1 });
    })();
    expect(log.prune(365)).toBe(12_345);
    expect(log.query().records).toEqual([]);
  });

  it('shares the database file with the policy tables, each module at its own version', () => {
    migrate(db, 'policy', ['CREATE TABLE policy_counters (rule TEXT PRIMARY KEY, hits INTEGER NOT NULL)', 'ALTER TABLE policy_counters ADD COLUMN since INTEGER']);
    db.close();
    db = openDatabase(file);
    new CallLog(db);
    const versions = db.prepare('SELECT module, version FROM schema_versions ORDER BY module').all();
    expect(versions).toEqual([
      { module: 'calllog', version: CALLLOG_MIGRATIONS.length },
      { module: 'policy', version: 2 },
    ]);
  });
});
