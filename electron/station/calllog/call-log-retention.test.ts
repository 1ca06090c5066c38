import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addLogSink, createLogger, type LogRecord } from '../util/log';
import { openDatabase, type Db } from '../util/sqlite';
import { CallLog, DAY_MS } from './call-log';
import { callLogSettingsSchema, startRetention } from './call-log-retention';

let dir: string;
let db: Db;
let log: CallLog;
const records: LogRecord[] = [];
let offSink: () => void;

function oldCall(daysAgo: number): string {
  const startedAt = Date.now() - daysAgo * DAY_MS;
  const id = log.start({ callId: `c${daysAgo}`, direction: 'sip-to-whatsapp', lineId: 'wa1', caller: '201', destination: '4917011', startedAt });
  log.finish(id, { outcome: 'no-answer', endedAt: startedAt + 30_000 });
  return id;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calllog-retention-'));
  db = openDatabase(join(dir, 'station.db'));
  log = new CallLog(db);
  records.length = 0;
  offSink = addLogSink((r) => records.push(r));
});

afterEach(() => {
  offSink();
  vi.useRealTimers();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('call record retention', () => {
  it('defaults to a year and refuses a negative or fractional number of days', () => {
    expect(callLogSettingsSchema.parse({})).toEqual({ retentionDays: 365 });
    expect(callLogSettingsSchema.safeParse({ retentionDays: -1 }).error?.issues[0]?.message).toBe('must be 0 (keep forever) or more');
    expect(callLogSettingsSchema.safeParse({ retentionDays: 1.5 }).error?.issues[0]?.message).toBe('must be a whole number of days');
  });

  it('prunes at start and again at each interval, with the setting of the moment', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const old = oldCall(40);
    const middle = oldCall(20);
    let days = 30;
    const stop = startRetention(log, () => ({ retentionDays: days }), createLogger('calllog'), 1_000);
    expect(log.get(old)).toBeUndefined();
    expect(log.get(middle)).toBeDefined();
    expect(records.map((r) => r.message)).toContain('deleted 1 call records older than 30 days');
    days = 10;
    vi.advanceTimersByTime(1_000);
    expect(log.get(middle)).toBeUndefined();
    stop();
  });

  it('keeps everything when the retention is 0', () => {
    const old = oldCall(4_000);
    startRetention(log, () => ({ retentionDays: 0 }), createLogger('calllog'))();
    expect(log.get(old)).toBeDefined();
  });

  it('logs a failed prune and keeps running', () => {
    db.close();
    const stop = startRetention(log, () => ({ retentionDays: 30 }), createLogger('calllog'));
    stop();
    expect(records.find((r) => r.level === 'error')?.message).toMatch(/^could not delete call records older than 30 days: /);
    db = openDatabase(join(dir, 'station.db'));
  });
});
