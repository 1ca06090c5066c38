/**
 * The contract between the test dial on the control thread (headset-host.ts) and the headset worker
 * (headset-worker.ts), declared once for both. No audio crosses: the control thread says "open the
 * headset", "bridge it to the phone's agent at port N, call C", "mute", "close", and gets device lists,
 * levels (numbers, a few times a second), errors and counts back. The headset's PCM and the call's audio
 * connection meet in the worker.
 */
import type { AudioDevice } from '../api/types';
import type { Headset, HeadsetLevels } from '../../../native-audio/local-audio';
import type { PhoneTarget } from '../media/media-messages';
import type { PhoneAudioCounts, PhoneAudioLinkState } from '../media/phone-audio-link';

/** What the headset carried and what the latency budget cost, for the call's log line and the tests. */
export type HeadsetCounts = Headset['counts'];

export interface HeadsetOpened {
  /** The device names and rates opened (a rate of 48000 runs through the 3x resampler). */
  input: { name: string; rate: number };
  output: { name: string; rate: number };
}

export interface HeadsetClosed {
  headset: HeadsetCounts;
  /** What the call's audio connection carried; null when it was never bridged. */
  phone: PhoneAudioCounts | null;
}

/** The worker's state, for tests: whether sound device streams or an audio connection are open. */
export interface HeadsetWorkerStats {
  open: boolean;
  phone: { state: PhoneAudioLinkState; counts: PhoneAudioCounts } | null;
  headset: HeadsetCounts | null;
}

/** Control -> worker. Each carries `req`; the worker answers each with `ok` or `error`. */
export type ToHeadsetWorker =
  | { type: 'devices'; req: number }
  /** Opens both device streams (one test dial at a time); `lineId` tags the worker's log lines. */
  | { type: 'open'; req: number; lineId: string; input?: string; output?: string; levelsEveryMs: number }
  /** Opens the call's audio connection: mic -> phone, phone -> speaker. */
  | { type: 'phone'; req: number; phone: PhoneTarget }
  /** The forward moved (a new adb server): the audio connection reconnects through `port`. */
  | { type: 'phone-port'; req: number; port: number }
  | { type: 'mute'; req: number; muted: boolean }
  /** Closes the audio connection and both device streams; answers HeadsetClosed (null when none was open). */
  | { type: 'close'; req: number }
  | { type: 'stats'; req: number };

export type HeadsetReply = AudioDevice[] | HeadsetOpened | HeadsetClosed | HeadsetWorkerStats | null;

/** Worker -> control. */
export type FromHeadsetWorker =
  | { type: 'ready' }
  | { type: 'ok'; req: number; value: HeadsetReply }
  | { type: 'error'; req: number; message: string }
  /** The loudest 20 ms levels since the previous one, every `levelsEveryMs` while the headset is open. */
  | ({ type: 'levels' } & HeadsetLevels)
  /** A device stream failed while open (unplugged, the sound server went away). */
  | { type: 'failed'; message: string };
