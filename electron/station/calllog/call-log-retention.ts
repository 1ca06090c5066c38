/**
 * Retention: how long call records are kept, as a configuration setting, and the timer that prunes
 * older ones at station start and then every few hours.
 *
 * The setting is declared here, beside what it governs; config/schema.ts includes it as
 * `callLog: callLogSettingsSchema.default({ retentionDays: DEFAULT_RETENTION_DAYS })`.
 */
import { z } from 'zod';
import type { Logger } from '../util/log';
import type { CallLog } from './call-log';

/** A year: enough for yearly traffic reports; about 145 MB at 1,000 calls a day (100,000 records take 39 MB). */
export const DEFAULT_RETENTION_DAYS = 365;

export const callLogSettingsSchema = z.strictObject({
  /** Records of calls older than this many days are deleted; 0 keeps them forever. */
  retentionDays: z.number().int('must be a whole number of days').min(0, 'must be 0 (keep forever) or more').max(36_500).default(DEFAULT_RETENTION_DAYS),
});

export type CallLogSettings = z.infer<typeof callLogSettingsSchema>;

/** Often enough that the oldest record outlives its limit by a few hours at most. */
export const PRUNE_INTERVAL_MS = 6 * 3_600_000;

/**
 * Prunes now and then every PRUNE_INTERVAL_MS; returns the function that stops it. A failed prune is
 * logged and retried at the next interval: losing no records matters more than deleting on time.
 * `settings` is read at each run, so a changed retention applies without a restart.
 */
export function startRetention(callLog: CallLog, settings: () => CallLogSettings, log: Logger, intervalMs = PRUNE_INTERVAL_MS): () => void {
  const run = () => {
    const days = settings().retentionDays;
    if (days === 0) return;
    try {
      const deleted = callLog.prune(days);
      if (deleted > 0) log.info(`deleted ${deleted} call records older than ${days} days`);
    } catch (err) {
      log.error(`could not delete call records older than ${days} days: ${(err as Error).message}`);
    }
  };
  run();
  const timer = setInterval(run, intervalMs);
  // Retention must never be what keeps the station process alive.
  timer.unref();
  return () => clearInterval(timer);
}
