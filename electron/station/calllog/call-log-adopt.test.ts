import { describe, expect, it } from 'vitest';
import { openDatabase } from '../util/sqlite';
import { CallLog } from './call-log';
import type { CallStart } from './call-record';

const T0 = Date.UTC(2025, 2, 14, 9, 30, 0);
const testDial: CallStart = {
  callId: 't1',
  sipCallId: null,
  direction: 'test-dial',
  lineId: '127.0.0.1:27300',
  carrierLineId: '127.0.0.1:27300',
  deviceSerial: '127.0.0.1:27300',
  whatsappAccount: '15550200001',
  sipAccount: null,
  caller: 'operator',
  destination: '15550100001',
  destinationSource: null,
  startedAt: T0,
};

describe("a phone's records made before it had a line id", () => {
  it('are listed, filtered and counted under the line the phone then belongs to', () => {
    const log = new CallLog(openDatabase(':memory:'), { now: () => T0 + 60_000 });
    const early = log.start(testDial);
    log.finish(early, { outcome: 'answered', endedAt: T0 + 5000, hangupSide: 'station' });
    const other = log.start({ ...testDial, callId: 't2', lineId: '127.0.0.1:27301', carrierLineId: '127.0.0.1:27301', deviceSerial: '127.0.0.1:27301' });
    const later = log.start({ ...testDial, callId: 'c3', direction: 'sip-to-whatsapp', lineId: 'wa1', carrierLineId: 'wa1', sipAccount: '2001@office', startedAt: T0 + 10_000 });

    expect(log.adoptPhoneRecords([{ id: 'wa1', serial: '127.0.0.1:27300' }, { id: '127.0.0.1:27302', serial: '127.0.0.1:27302' }])).toBe(1);
    expect(log.get(early)).toMatchObject({ lineId: 'wa1', carrierLineId: 'wa1', deviceSerial: '127.0.0.1:27300' });
    expect(log.get(other)).toMatchObject({ lineId: '127.0.0.1:27301' });
    expect(log.query({ lineId: 'wa1' }).records.map((r) => r.id)).toEqual([later, early]);
    // Test dials count in the figures when asked for by direction: the early one is wa1's now.
    const lines = log.stats({ from: T0 - 1000, to: T0 + 60_000, direction: 'test-dial' }, 'hour').lines;
    expect(lines.map((l) => [l.lineId, l.attempts])).toEqual([
      ['127.0.0.1:27301', 1],
      ['wa1', 1],
    ]);
    // Once filed, nothing is left to move.
    expect(log.adoptPhoneRecords([{ id: 'wa1', serial: '127.0.0.1:27300' }])).toBe(0);
  });
});
