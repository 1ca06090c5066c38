/**
 * Station-added latency on the phone path, with the control thread idle and with it busy exporting the
 * call log, in the same run: RTP from a peer -> media worker -> the call's audio connection -> a stand-in
 * agent, and back. The far ends (bench/phone-latency-peer.ts) run in a worker thread of their own and
 * take every timestamp there, so what the busy control thread does shows only where it really delays the
 * audio. Since the audio connection belongs to the media worker, a 100,000-record export on the control
 * thread should leave both directions where they are when it is idle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CodecName } from '../native-audio/codecs/index';
import { exportCalls } from '../electron/station/calllog/call-export';
import { insertSyntheticCalls } from '../electron/station/calllog/synthetic-calls';
import { setLogLevel } from '../electron/station/util/log';
import { openDatabase, type Db } from '../electron/station/util/sqlite';
import { openPhonePath } from './phone-path-rig';
import { FRAME_MS, TARGET, analyse, type LatencyRow } from './station-latency';

const RECORDS = 100_000;
const SESSIONS_PER_CODEC = 4;
const DAY_MS = 86_400_000;

export interface PhonePathRow extends LatencyRow {
  control: 'idle' | 'exporting';
  /** Exports of the whole call log completed on the control thread while the row was measured. */
  exports: number;
}

/**
 * Exports the call log as CSV, again and again, until `stop` is set; resolves with how many completed.
 * The sink acknowledges each chunk on the next turn of the event loop, as a socket does, so the thread
 * is as busy as it is when the console downloads an export.
 */
async function exportLoop(db: Db, stop: { now: boolean }): Promise<number> {
  let done = 0;
  const sink = (): Writable => new Writable({ write: (_c, _e, next) => setImmediate(next) });
  while (!stop.now) {
    await exportCalls(db, {}, 'csv', sink());
    done++;
  }
  return done;
}

async function measure(control: PhonePathRow['control'], db: Db): Promise<PhonePathRow[]> {
  const codecs: CodecName[] = (['G722', 'PCMU'] as const).flatMap((c) => Array<CodecName>(SESSIONS_PER_CODEC).fill(c));
  const rig = await openPhonePath(codecs);
  try {
    const done = rig.go();
    const stop = { now: false };
    const exports = control === 'exporting' ? exportLoop(db, stop) : Promise.resolve(0);
    const result = await done;
    stop.now = true;
    await Promise.all(rig.sessions.map((s) => s.unbridgePhone()));
    const count = await exports;
    if (result.type !== 'done') throw new Error('the latency peer did not finish');
    return analyse(result.traces, result.startAt).map((r) => ({ ...r, control, exports: count }));
  } finally {
    await rig.close();
  }
}

export async function measurePhonePathLatency(): Promise<PhonePathRow[]> {
  setLogLevel('error');
  const dir = mkdtempSync(join(tmpdir(), 'sip2wa-bench-phone-path-'));
  const db = openDatabase(join(dir, 'station.db'));
  try {
    insertSyntheticCalls(db, { count: RECORDS, from: Date.now() - 90 * DAY_MS, spanMs: 90 * DAY_MS, lines: 16 });
    return [...(await measure('idle', db)), ...(await measure('exporting', db))];
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runPhonePathLatencyBench(): Promise<string> {
  const rows = await measurePhonePathLatency();
  const ms = (v: number): string => `${v.toFixed(1).padStart(6)} (${(v / FRAME_MS).toFixed(2)})`;
  const lines = [
    `\nStation-added latency on the phone path (RTP peer -> media worker -> audio connection -> agent, and back), ${SESSIONS_PER_CODEC} sessions per codec`,
    `control thread idle, then exporting ${RECORDS.toLocaleString('en')} call records as CSV over and over; target p50 <= ${TARGET.p50Ms} ms, p99 <= ${TARGET.p99Ms} ms in both`,
    'control     direction    codec   frames  unmatched  p50 ms (frames)  p99 ms (frames)  max ms  exports  target',
  ];
  for (const r of rows) {
    const ok = r.p50Ms <= TARGET.p50Ms && r.p99Ms <= TARGET.p99Ms ? 'met' : 'MISSED';
    lines.push(
      [
        r.control.padEnd(10),
        r.direction.padEnd(11),
        r.codec.padEnd(5),
        String(r.frames).padStart(7),
        String(r.unmatched).padStart(10),
        `${ms(r.p50Ms)}   `,
        `${ms(r.p99Ms)}   `,
        r.maxMs.toFixed(1).padStart(6),
        String(r.exports).padStart(7),
        `  ${ok}`,
      ].join('  '),
    );
  }
  return lines.join('\n');
}
