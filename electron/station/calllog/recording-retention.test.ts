import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configSchema, recordingSchema } from '../config/schema';
import { addLogSink, createLogger, type LogRecord } from '../util/log';
import { openDatabase, type Db } from '../util/sqlite';
import { CallLog, DAY_MS } from './call-log';
import { pruneRecordings, recordingFileName, recordingPath, startRecordingRetention } from './recording-retention';

const NOW = Date.UTC(2026, 5, 1, 12);
const MB = 1024 * 1024;
let dir: string;
let folder: string;
let db: Db;
let log: CallLog;
const records: LogRecord[] = [];
let offSink: () => void;

/** A recorded call `daysAgo` old whose file holds `mb` MB; returns its record id and file name. */
function recorded(daysAgo: number, mb = 1): { id: string; name: string } {
  const at = NOW - daysAgo * DAY_MS;
  const id = log.start({ callId: `c${daysAgo}`, direction: 'sip-to-whatsapp', lineId: 'wa1', caller: '201', destination: '4917011', startedAt: at });
  const name = recordingFileName(id)!;
  writeFileSync(join(folder, name), Buffer.alloc(mb * MB));
  utimesSync(join(folder, name), new Date(at), new Date(at));
  log.update(id, { recording: name });
  log.finish(id, { outcome: 'answered', endedAt: at + 60_000 });
  return { id, name };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'recording-retention-'));
  folder = join(dir, 'recordings');
  mkdirSync(folder);
  db = openDatabase(join(dir, 'station.db'));
  log = new CallLog(db, { now: () => NOW });
  records.length = 0;
  offSink = addLogSink((r) => records.push(r));
});

afterEach(() => {
  offSink();
  vi.useRealTimers();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recording retention', () => {
  it('is off by default and refuses settings that would leave the data folder or name no line', () => {
    expect(recordingSchema.parse({})).toEqual({ enabled: false, lines: [], groups: [], format: 'wav', retentionDays: 90, maxTotalMb: 10_240, folder: 'recordings' });
    expect(recordingSchema.safeParse({ folder: '../etc' }).error?.issues[0]?.message).toMatch(/^must be a folder name inside the data folder/);
    expect(recordingSchema.safeParse({ folder: '..' }).error?.issues[0]?.message).toMatch(/^must be a folder name inside the data folder/);
    expect(recordingSchema.safeParse({ format: 'mp3' }).error?.issues[0]?.message).toBe('must be "wav" (16 kHz stereo)');
    const bad = configSchema.safeParse({ version: 1, recording: { enabled: true, lines: ['wa9'], groups: ['sales'] } });
    expect(bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['recording.lines.0: no line has the id "wa9"', 'recording.groups.0: no line is in group "sales"']);
  });

  it('finds a file only by a record id, never by a path', () => {
    expect(recordingFileName('../../etc/passwd')).toBeNull();
    expect(recordingFileName('0f8e2c1a-4b7d-4e3f-9a21-5c6d7e8f9a0b')).toBe('0f8e2c1a-4b7d-4e3f-9a21-5c6d7e8f9a0b.wav');
    expect(recordingPath(folder, '../station.db')).toBeNull();
    expect(recordingPath(folder, null)).toBeNull();
  });

  it('deletes recordings past the retention, then the oldest until the rest fit the cap, but never one being written', async () => {
    const ancient = recorded(100);
    const old = recorded(50, 3);
    const busy = recorded(40, 3);
    const recent = recorded(1, 3);
    writeFileSync(join(folder, 'notes.txt'), 'not a recording');
    const result = await pruneRecordings(folder, { retentionDays: 90, maxTotalMb: 6 }, NOW, new Set([busy.name]));
    expect(result.deleted).toEqual([ancient.name, old.name]);
    // The file still being written counts towards the cap but stays: 6 MB left, the cap.
    expect(result.bytes).toBe(6 * MB);
    expect(existsSync(join(folder, busy.name)) && existsSync(join(folder, recent.name))).toBe(true);
    expect(existsSync(join(folder, 'notes.txt'))).toBe(true);
  });

  it('keeps everything with retention 0 and no cap', async () => {
    recorded(4_000);
    expect((await pruneRecordings(folder, { retentionDays: 0, maxTotalMb: 0 }, NOW)).deleted).toEqual([]);
  });

  it('prunes at start and at each interval with the settings of the moment; the records stop linking deleted files', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const old = recorded(40);
    const middle = recorded(20);
    let days = 30;
    const stop = startRecordingRetention({ folder, settings: () => ({ retentionDays: days, maxTotalMb: 0 }), callLog: log, busy: () => new Set(), log: createLogger('recording'), now: () => NOW }, 1_000);
    await vi.waitFor(() => expect(log.get(old.id)?.recording).toBeNull());
    expect(existsSync(join(folder, old.name))).toBe(false);
    expect(log.get(middle.id)?.recording).toBe(middle.name);
    expect(records.map((r) => r.message)).toContain('deleted 1 call recordings past 30 days; 1 MB kept');
    days = 10;
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(() => expect(log.get(middle.id)?.recording).toBeNull());
    stop();
  });

  it('logs a folder it cannot read and keeps running', async () => {
    rmSync(folder, { recursive: true });
    writeFileSync(folder, 'a file where the folder should be');
    const stop = startRecordingRetention({ folder, settings: () => ({ retentionDays: 30, maxTotalMb: 0 }), callLog: log, busy: () => new Set(), log: createLogger('recording') });
    await vi.waitFor(() => expect(records.find((r) => r.level === 'error')?.message).toMatch(/^could not prune the call recordings in .*: ENOTDIR/));
    stop();
  });
});
