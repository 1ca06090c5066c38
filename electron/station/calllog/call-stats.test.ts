import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../util/sqlite';
import { CallLog } from './call-log';
import type { CallLogDirection, LoggedOutcome } from './call-record';
import { bucketStarts, lineStats, localDay, timeSeries, todayLineStats } from './call-stats';

// Days are local: pin the zone. Berlin is UTC+1 until the DST change on 30 March 2025.
const savedTz = process.env.TZ;
process.env.TZ = 'Europe/Berlin';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

let dir: string;
let db: Db;

interface Seed {
  line: string;
  start: string;
  direction?: CallLogDirection;
  number: string;
  outcome?: LoggedOutcome;
  answeredAfterS?: number;
  talkS?: number;
}

const SEEDS: Seed[] = [
  { line: 'wa1', start: '2025-03-13T23:30:00Z', number: '4917011', outcome: 'answered', answeredAfterS: 5, talkS: 60 }, // 00:30 local
  { line: 'wa1', start: '2025-03-14T08:00:00Z', number: '4917011', outcome: 'answered', answeredAfterS: 5, talkS: 30.5 },
  { line: 'wa1', start: '2025-03-14T09:00:00Z', number: '4917022', outcome: 'no-answer' },
  { line: 'wa1', start: '2025-03-14T10:00:00Z', number: '4917033', outcome: 'rejected', direction: 'whatsapp-to-sip' },
  { line: 'wa1', start: '2025-03-14T10:30:00Z', number: '4917044', outcome: 'filtered' },
  { line: 'wa1', start: '2025-03-14T11:00:00Z', number: '', outcome: 'answered', direction: 'echo-test', answeredAfterS: 0, talkS: 10 },
  { line: 'wa1', start: '2025-03-13T22:30:00Z', number: '4917099', outcome: 'busy' }, // 23:30 local, the day before
  { line: 'wa2', start: '2025-03-14T12:00:00Z', number: '4917011', outcome: 'busy' },
  { line: 'wa2', start: '2025-03-14T12:10:00Z', number: '4917055', answeredAfterS: 4 }, // still talking
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'calllog-stats-'));
  db = openDatabase(join(dir, 'station.db'));
  const log = new CallLog(db);
  SEEDS.forEach((s, i) => {
    const direction = s.direction ?? 'sip-to-whatsapp';
    const startedAt = at(s.start);
    const id = log.start({
      callId: `c${i}`,
      direction,
      lineId: s.line,
      caller: direction === 'whatsapp-to-sip' ? s.number : '201',
      destination: direction === 'whatsapp-to-sip' ? '201' : s.number,
      startedAt,
    });
    const answeredAt = s.answeredAfterS === undefined ? null : startedAt + s.answeredAfterS * 1000;
    if (answeredAt) log.update(id, { answeredAt });
    if (s.outcome) log.finish(id, { outcome: s.outcome, endedAt: (answeredAt ?? startedAt + 20_000) + (s.talkS ?? 0) * 1000 });
  });
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('call statistics', () => {
  it("counts today's attempts, answers, ASR, ACD and unique numbers per line (local day)", () => {
    expect(todayLineStats(db, at('2025-03-14T15:00:00Z'))).toEqual([
      { lineId: 'wa1', attempts: 4, answered: 2, filtered: 1, asr: 0.5, acdSeconds: 45.25, uniqueNumbers: 3 },
      { lineId: 'wa2', attempts: 2, answered: 1, filtered: 0, asr: 0.5, acdSeconds: null, uniqueNumbers: 2 },
    ]);
  });

  it('covers a date range, and echo tests only when asked for', () => {
    const range = { from: at('2025-03-13T00:00:00Z'), to: at('2025-03-15T00:00:00Z') };
    expect(lineStats(db, { ...range, lineId: 'wa1' })).toEqual([
      { lineId: 'wa1', attempts: 5, answered: 2, filtered: 1, asr: 0.4, acdSeconds: 45.25, uniqueNumbers: 4 },
    ]);
    expect(lineStats(db, { ...range, direction: 'echo-test' })).toEqual([
      { lineId: 'wa1', attempts: 1, answered: 1, filtered: 0, asr: 1, acdSeconds: 10, uniqueNumbers: 0 },
    ]);
    expect(lineStats(db, { from: at('2025-04-01T00:00:00Z') })).toEqual([]);
  });

  it('draws an hourly series with a point for every hour, empty ones too', () => {
    const series = timeSeries(db, { from: at('2025-03-14T08:00:00Z'), to: at('2025-03-14T13:00:00Z') }, 'hour');
    expect(series.map((p) => [p.start, p.calls, p.answered, p.asr, p.acdSeconds])).toEqual([
      ['2025-03-14T08:00:00.000Z', 1, 1, 1, 30.5],
      ['2025-03-14T09:00:00.000Z', 1, 0, 0, null],
      ['2025-03-14T10:00:00.000Z', 1, 0, 0, null],
      ['2025-03-14T11:00:00.000Z', 0, 0, null, null],
      ['2025-03-14T12:00:00.000Z', 2, 1, 0.5, null],
    ]);
  });

  it('draws a daily series on local days, filtered like the history', () => {
    const series = timeSeries(db, { from: at('2025-03-13T12:00:00Z'), to: at('2025-03-15T12:00:00Z'), lineId: 'wa1' }, 'day');
    expect(series.map((p) => [p.start, p.calls, p.answered])).toEqual([
      ['2025-03-12T23:00:00.000Z', 1, 0],
      ['2025-03-13T23:00:00.000Z', 4, 2],
      ['2025-03-14T23:00:00.000Z', 0, 0],
    ]);
  });

  it('follows daylight saving time and half-hour zones', () => {
    const days = bucketStarts(at('2025-03-29T12:00:00Z'), at('2025-04-01T00:00:00Z'), 'day');
    expect(days.slice(1).map((d, i) => (d - days[i]!) / HOUR)).toEqual([24, 23, 24]);
    expect(localDay(at('2025-03-30T12:00:00Z'))).toEqual({ from: at('2025-03-29T23:00:00Z'), to: at('2025-03-30T22:00:00Z') });
    process.env.TZ = 'Asia/Kolkata';
    try {
      expect(bucketStarts(at('2025-03-14T08:10:00Z'), at('2025-03-14T10:00:00Z'), 'hour').map((t) => new Date(t).toISOString())).toEqual([
        '2025-03-14T07:30:00.000Z',
        '2025-03-14T08:30:00.000Z',
        '2025-03-14T09:30:00.000Z',
      ]);
    } finally {
      process.env.TZ = 'Europe/Berlin';
    }
    expect(() => timeSeries(db, { from: 0, to: at('2025-01-01T00:00:00Z') }, 'hour')).toThrow(/has more than 9000 points; choose a shorter range or days/);
  });
});
