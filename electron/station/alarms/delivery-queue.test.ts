import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../util/sqlite';
import { DeliveryQueue, type DropNotice } from './delivery-queue';

describe('the delivery queue', () => {
  it('keeps deliveries in order in the database file, across a reopen (a station restart)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sip2wa-outbox-')), 'station.db');
    const db = openDatabase(file);
    const q = new DeliveryQueue(db);
    for (let i = 1; i <= 3; i++) q.push('ops', 'alarm', `{"n":${i}}`, 100, 'st1');
    q.push('crm', 'call-record', '{"n":"call"}', 100, 'st1');
    const first = q.head('ops')!;
    q.retryAt(first.seq, Date.now() + 60_000, 'ECONNREFUSED');
    db.close();

    const again = new DeliveryQueue(openDatabase(file));
    expect(again.list('ops').map((d) => d.body)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(again.head('ops')).toMatchObject({ deliveryId: first.deliveryId, attempts: 1, lastError: 'ECONNREFUSED' });
    expect(again.list('crm').map((d) => d.what)).toEqual(['call-record']);
    again.remove(first.seq);
    expect(again.head('ops')!.body).toBe('{"n":2}');
  });

  it('drops the oldest when a receiver\'s bound is hit, and reports the drop first, in one notice that counts every drop', () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const q = new DeliveryQueue(openDatabase(':memory:'), () => now);
    const dropped: number[] = [];
    for (let i = 1; i <= 15; i++) {
      now += 1000;
      dropped.push(q.push('ops', 'alarm', `{"n":${i}}`, 10, 'st1'));
    }
    expect(q.count('ops')).toBe(10);
    expect(dropped.reduce((a, b) => a + b)).toBe(6);
    const [notice, ...rest] = q.list('ops');
    expect(notice!.what).toBe('dropped');
    expect(JSON.parse(notice!.body) as DropNotice).toMatchObject({
      type: 'dropped',
      station: 'st1',
      receiver: 'ops',
      dropped: 6,
      oldestDroppedAt: '2026-12-03T10:00:01.000Z',
      newestDroppedAt: '2026-12-03T10:00:06.000Z',
    });
    // Nothing newer than the drop was lost: the 9 newest are there, in order.
    expect(rest.map((d) => JSON.parse(d.body).n)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(q.head('ops')!.what).toBe('dropped');
    // Another receiver's queue is not touched by this one's bound.
    q.push('crm', 'call-record', '{}', 10, 'st1');
    expect(q.count('crm')).toBe(1);
  });
});
