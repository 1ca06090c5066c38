/**
 * Synthetic call records with a plausible mix of directions and outcomes, for benchmarks, tests and a
 * console demo. Deterministic for a given seed, written through the real CallLog (start, update,
 * finish) in one transaction.
 */
import type { Db } from '../util/sqlite';
import { CallLog } from './call-log';
import type { CallLogDirection, LoggedOutcome } from './call-record';

export interface SyntheticOptions {
  count: number;
  /** Epoch ms of the first call; calls are spread evenly from here over `spanMs`. */
  from: number;
  spanMs: number;
  lines?: number;
  seed?: number;
}

/** mulberry32: a tiny PRNG, good enough to vary records and the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(rand: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  let r = rand() * weighted.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of weighted) {
    r -= w;
    if (r < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

const DIRECTIONS: ReadonlyArray<readonly [CallLogDirection, number]> = [
  ['sip-to-whatsapp', 85],
  ['whatsapp-to-sip', 12],
  ['echo-test', 3],
];

const OUTCOMES: ReadonlyArray<readonly [LoggedOutcome, number]> = [
  ['answered', 55],
  ['no-answer', 14],
  ['rejected', 8],
  ['busy', 5],
  ['offline', 5],
  ['not-on-whatsapp', 5],
  ['filtered', 4],
  ['error', 2],
  ['local-hangup', 2],
];

/** Writes `count` finished records; returns their ids, oldest first. */
export function insertSyntheticCalls(db: Db, options: SyntheticOptions): string[] {
  const { count, from, spanMs, lines = 16, seed = 1 } = options;
  const rand = random(seed);
  const callLog = new CallLog(db);
  const ids: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const line = 1 + Math.floor(rand() * lines);
      const direction = pick(rand, DIRECTIONS);
      const outcome = pick(rand, OUTCOMES);
      const startedAt = from + Math.floor((i * spanMs) / count);
      const waNumber = `49170${String(Math.floor(rand() * 10_000_000)).padStart(7, '0')}`;
      const extension = String(200 + line);
      const id = callLog.start({
        callId: `c${startedAt.toString(36)}-${i}`,
        sipCallId: direction === 'echo-test' ? null : `${i.toString(16)}-${seed}@10.0.0.2`,
        direction,
        lineId: `wa${line}`,
        deviceSerial: `R58M${String(line).padStart(4, '0')}`,
        whatsappAccount: `4915100000${String(line).padStart(2, '0')}`,
        sipAccount: `${extension}@office`,
        caller: direction === 'whatsapp-to-sip' ? waNumber : extension,
        destination: direction === 'whatsapp-to-sip' ? extension : waNumber,
        destinationSource: direction === 'whatsapp-to-sip' ? 'inbound' : 'prefix',
        startedAt,
      });
      ids.push(id);
      if (outcome === 'filtered') {
        callLog.finish(id, { outcome, endedAt: startedAt + 20, sipCode: 403, hangupSide: 'station', policyRule: 'night hours' });
        continue;
      }
      const ringingAt = startedAt + 800 + Math.floor(rand() * 2_500);
      const answeredAt = outcome === 'answered' ? ringingAt + 2_000 + Math.floor(rand() * 15_000) : null;
      const endedAt = answeredAt ? answeredAt + Math.floor(rand() * 300_000) : ringingAt + Math.floor(rand() * 30_000);
      callLog.update(id, { ringingAt, answeredAt, codec: 'G722' });
      callLog.finish(id, {
        outcome,
        endedAt,
        sipCode: outcome === 'answered' ? 200 : 486,
        hangupSide: rand() < 0.5 ? 'sip' : 'whatsapp',
        rtp: answeredAt
          ? { packetsSent: Math.floor((endedAt - answeredAt) / 20), packetsReceived: Math.floor((endedAt - answeredAt) / 20) - 3, lost: 3, jitterMs: Math.round(rand() * 300) / 10 }
          : null,
      });
    }
  })();
  return ids;
}
