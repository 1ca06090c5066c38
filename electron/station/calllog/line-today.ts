/**
 * Today's figures of every line, as the cards show them against the anti-ban caps. Computed in SQL
 * when a call ends (and once a minute, for the day's rollover), not on every grid update.
 */
import type { PolicyEngine } from '../policy/policy-engine';
import type { Db } from '../util/sqlite';
import { todayLineStats, type CallStats } from './call-stats';

/** A line's figures for today (local day) against its anti-ban caps (null cap = no limit). */
export interface LineToday extends CallStats {
  caps: { uniquePerHour: number | null; uniquePerDay: number | null };
  /** Distinct numbers in the last hour. */
  uniqueLastHour: number;
}

const NO_CALLS = { attempts: 0, answered: 0, filtered: 0, asr: null, acdSeconds: null, uniqueNumbers: 0 };

export function lineToday(db: Db, policy: PolicyEngine | null, lineIds: readonly string[], now = Date.now()): Map<string, LineToday> {
  const stats = new Map(todayLineStats(db, now).map((s) => [s.lineId, s]));
  const out = new Map<string, LineToday>();
  for (const id of lineIds) {
    const { lineId: _, ...s } = stats.get(id) ?? { lineId: id, ...NO_CALLS };
    const counters = policy?.counters(id);
    out.set(id, {
      ...s,
      uniqueLastHour: counters?.uniqueLastHour ?? 0,
      caps: { uniquePerHour: counters?.limits.uniquePerHour ?? null, uniquePerDay: counters?.limits.uniquePerDay ?? null },
    });
  }
  return out;
}
