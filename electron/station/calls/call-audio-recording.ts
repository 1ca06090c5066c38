/**
 * Call recording, seen from the control thread: which calls are recorded (config `recording`: answered
 * calls between the PBX and WhatsApp on the chosen lines or groups; never the operator's test dials or
 * echo tests), when recording starts (once the answered call's audio is bridged), and the link from the
 * call's record to its file, written as the file is created so that a station that dies mid-call still
 * leaves a record pointing at a playable file. The audio itself never comes here: the media worker
 * writes it (media/call-recording.ts).
 */
import { mkdir } from 'node:fs/promises';
import type { RecordingConfig } from '../config/schema';
import type { CallLog } from '../calllog/call-log';
import { recordingFileName, recordingPath } from '../calllog/recording-retention';
import type { Logger } from '../util/log';
import type { Call } from './call';

export interface RecordedLineConfig {
  id: string;
  group?: string;
}

/** Whether `call` on `line` is to be recorded under `settings`. */
export function recordingApplies(settings: RecordingConfig, line: RecordedLineConfig, direction: Call['direction']): boolean {
  if (!settings.enabled) return false;
  if (direction !== 'sip-to-whatsapp' && direction !== 'whatsapp-to-sip') return false;
  if (settings.lines.length === 0 && settings.groups.length === 0) return true;
  return settings.lines.includes(line.id) || (line.group !== undefined && settings.groups.includes(line.group));
}

export interface CallAudioRecordingDeps {
  /** The recordings folder; null when the station has no data folder (nothing is recorded then). */
  folder: string | null;
  callLog: CallLog;
  /** File names being written now: retention leaves them alone. */
  busy: Set<string>;
  log: Logger;
}

/**
 * Records `call` once it is connected with its audio bridged, and links the file from record `recordId`.
 * Call only for calls `recordingApplies` to.
 */
export function recordCallAudio(call: Call, recordId: string, deps: CallAudioRecordingDeps): void {
  const name = recordingFileName(recordId);
  const path = deps.folder === null ? null : recordingPath(deps.folder, name);
  if (name === null || path === null || deps.folder === null) {
    deps.log.warn(`call ${call.id}: recording is on but the station has no recordings folder (run it with a data folder)`);
    return;
  }
  const folder = deps.folder;
  const off = call.on('change', (view) => {
    if (view.state === 'ended') return off();
    if (view.state !== 'connected' || !call.bridged) return;
    off();
    void record(call, folder, path, name, recordId, deps);
  });
}

async function record(call: Call, folder: string, path: string, name: string, recordId: string, deps: CallAudioRecordingDeps): Promise<void> {
  deps.busy.add(name);
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    if (!(await call.recordAudio(path))) return void deps.busy.delete(name);
    deps.callLog.update(recordId, { recording: name });
  } catch (err) {
    deps.busy.delete(name);
    // A full or read-only disk must not take the call down: it goes on unrecorded, loudly.
    deps.log.error(`call ${call.id}: cannot record its audio to ${path}: ${(err as Error).message}`);
    return;
  }
  deps.log.info(`call ${call.id}: recording to ${path}`);
  const ended = new Promise<void>((resolve) => {
    if (call.ended) return resolve();
    const off = call.on('change', (v) => {
      if (v.state !== 'ended') return;
      off();
      resolve();
    });
  });
  await ended;
  const summary = await call.audioStopped();
  deps.busy.delete(name);
  if (!summary) return;
  if (summary.error) deps.log.error(`call ${call.id}: its recording stopped early: ${summary.error}`);
  const lost = summary.droppedFrames ? `, ${summary.droppedFrames} frames lost` : '';
  deps.log.info(`call ${call.id}: recorded ${Math.round(summary.durationMs / 100) / 10} s (${summary.bytes} bytes${lost})`);
}
