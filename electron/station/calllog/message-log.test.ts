import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../util/sqlite';
import { MessageLog } from './message-log';

describe('message log', () => {
  it('keeps messages across a restart, newest first, per line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sip2wa-msg-')), 'station.db');
    const db = openDatabase(file);
    const log = new MessageLog(db);
    log.record({ lineId: 'wa1', direction: 'received', peer: '628979993336', name: 'Din', text: 'hello, is this the shop?', at: 1000 });
    log.record({ lineId: 'wa2', direction: 'auto-reply', peer: '447700900123', name: '', text: 'line busy', at: 2000 });
    log.record({ lineId: 'wa1', direction: 'forwarded', peer: 'Support team', name: '', text: 'From +628979993336: hello', at: 3000 });
    db.close();
    const again = new MessageLog(openDatabase(file));
    expect(again.list({ lineId: 'wa1' }).map((m) => m.direction)).toEqual(['forwarded', 'received']);
    expect(again.list()).toHaveLength(3);
    expect(again.list({ lineId: 'wa1' })[1]).toMatchObject({ peer: '628979993336', name: 'Din', text: 'hello, is this the shop?' });
  });
});
