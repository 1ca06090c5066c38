/**
 * The recordings folder: how a call record's recording is named and found, and the retention that keeps
 * the folder within its age limit and size cap (config `recording.retentionDays`, `recording.maxTotalMb`),
 * at station start and then every RECORDING_PRUNE_INTERVAL_MS, like the call log's own retention.
 *
 * A file is found by the id of its call record, never by a name from a request: the name is derived
 * from the id here and checked against one pattern, so no path can leave the folder.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingConfig } from '../config/schema';
import type { Logger } from '../util/log';
import { DAY_MS, type CallLog } from './call-log';

/** Record ids are UUIDs (call-log.ts): a recording is `<id>.wav`. */
const RECORDING_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.wav$/;

/** Often enough that a busy station overshoots its size cap by a quarter of an hour of calls at most. */
export const RECORDING_PRUNE_INTERVAL_MS = 15 * 60_000;

/** The file name of a call record's recording; null for an id that is not a record id. */
export function recordingFileName(recordId: string): string | null {
  const name = `${recordId}.wav`;
  return RECORDING_NAME.test(name) ? name : null;
}

/** The path of a record's recording file, from the name its record holds; null when that is not one of ours. */
export function recordingPath(folder: string, name: string | null): string | null {
  return name !== null && RECORDING_NAME.test(name) ? join(folder, name) : null;
}

export interface PruneResult {
  deleted: string[];
  /** What the folder's recordings hold afterwards. */
  bytes: number;
}

export type RecordingLimits = Pick<RecordingConfig, 'retentionDays' | 'maxTotalMb'>;

/**
 * Deletes recordings older than `retentionDays` (by the file's last write), then the oldest ones until
 * the rest fit in `maxTotalMb`. Files still being written (`busy`) and files that are not recordings
 * are left alone.
 */
export async function pruneRecordings(folder: string, limits: RecordingLimits, now: number, busy: ReadonlySet<string> = new Set()): Promise<PruneResult> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { deleted: [], bytes: 0 };
    throw err;
  }
  const files: { name: string; at: number; size: number }[] = [];
  let bytes = 0;
  for (const name of names) {
    if (!RECORDING_NAME.test(name)) continue;
    const s = await stat(join(folder, name)).catch(() => null);
    if (!s?.isFile()) continue;
    bytes += s.size;
    if (!busy.has(name)) files.push({ name, at: s.mtimeMs, size: s.size });
  }
  files.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
  const cap = limits.maxTotalMb * 1024 * 1024;
  const cutoff = now - limits.retentionDays * DAY_MS;
  const deleted: string[] = [];
  for (const f of files) {
    const tooOld = limits.retentionDays > 0 && f.at < cutoff;
    const tooMuch = limits.maxTotalMb > 0 && bytes > cap;
    if (!tooOld && !tooMuch) break;
    try {
      await unlink(join(folder, f.name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    bytes -= f.size;
    deleted.push(f.name);
  }
  return { deleted, bytes };
}

export interface RecordingRetentionDeps {
  folder: string;
  settings(): RecordingLimits;
  callLog: CallLog;
  /** Recordings being written now. */
  busy(): ReadonlySet<string>;
  log: Logger;
  now?: () => number;
}

/**
 * Prunes now and then every `intervalMs`; returns the function that stops it. The records of deleted
 * files stop linking them. A failed run is logged and retried at the next interval.
 */
export function startRecordingRetention(deps: RecordingRetentionDeps, intervalMs = RECORDING_PRUNE_INTERVAL_MS): () => void {
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    const limits = deps.settings();
    try {
      const { deleted, bytes } = await pruneRecordings(deps.folder, limits, (deps.now ?? Date.now)(), deps.busy());
      if (deleted.length === 0) return;
      deps.callLog.unlinkRecordings(deleted);
      const mb = Math.round(bytes / 1024 / 1024);
      const past = [limits.retentionDays > 0 ? `${limits.retentionDays} days` : '', limits.maxTotalMb > 0 ? `${limits.maxTotalMb} MB in all` : ''].filter(Boolean).join(' or ');
      deps.log.info(`deleted ${deleted.length} call recordings past ${past}; ${mb} MB kept`);
    } catch (err) {
      deps.log.error(`could not prune the call recordings in ${deps.folder}: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  // Retention must never be what keeps the station process alive.
  timer.unref();
  return () => clearInterval(timer);
}
