/**
 * Voice prompts (16 kHz mono WAVs), read once and cached on the control thread, and played into a call's
 * media session inside its media worker (MediaSessionHandle.play -> worker-phone-audio.ts -> `play`),
 * one 20 ms frame per tick of the worker's pacing clock, the clock that also sends the session's RTP, so
 * a busy control thread cannot stretch them and a prompt never drifts against the packets carrying it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PacingClock } from '../../../native-audio/pacing-clock';
import { bufferToPcm } from '../../../native-audio/pcm';
import { parseWav } from '../../../native-audio/wav';
import { PROMPT_NAMES, type PromptName } from '../values';

/** Whatever takes 20 ms frames at real time: an RTP session in its worker. */
export interface PcmSink {
  pushPcm(frame: Int16Array): void;
}

export type { PromptName };

const DEFAULT_DIR = fileURLToPath(new URL('../../../assets/prompts/', import.meta.url));
const FRAME = 320;

export class PromptError extends Error {}

/** Loads a prompt file as 16 kHz samples; refuses other formats with the reason. */
export function loadPrompt(file: string): Int16Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new PromptError(`prompt ${file}: cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
  const wav = parseWav(bytes, file);
  if (wav.sampleRate !== 16_000 || wav.channels !== 1 || wav.bitsPerSample !== 16) {
    throw new PromptError(`prompt ${file}: must be 16 kHz mono 16-bit PCM, is ${wav.sampleRate} Hz ${wav.channels} ch ${wav.bitsPerSample}-bit`);
  }
  return bufferToPcm(wav.pcm);
}

export class PromptLibrary {
  private cache = new Map<PromptName, Int16Array>();

  /** `overrides` maps a prompt name to the user's own WAV file. */
  constructor(private readonly overrides: Partial<Record<PromptName, string>> = {}) {}

  get(name: PromptName): Int16Array {
    let pcm = this.cache.get(name);
    if (!pcm) {
      pcm = loadPrompt(this.overrides[name] ?? `${DEFAULT_DIR}${name}.wav`);
      this.cache.set(name, pcm);
    }
    return pcm;
  }

  /** Loads every prompt now, so a bad override is reported at start and not in the middle of a call. */
  check(): void {
    for (const name of PROMPT_NAMES) this.get(name);
  }
}

/**
 * Plays samples into the session, the first frame at once and one more at every tick of `clock`; resolves
 * once the last frame is out, or when `signal` aborts (the caller pressed a key, hung up). The last partial
 * frame is padded with silence.
 *
 * The session ticks on the same clock and subscribed first (it exists before anything plays into it), so
 * at each tick it sends the frame queued at the previous one and this queues the next: one frame of delay,
 * never an underrun or a growing queue.
 */
export function play(media: PcmSink, pcm: Int16Array, clock: PacingClock, signal?: AbortSignal): Promise<void> {
  const frames = Math.ceil(pcm.length / FRAME);
  return new Promise((resolve) => {
    if (signal?.aborted || frames === 0) return resolve();
    let next = 0;
    let unsubscribe = (): void => undefined;
    const finish = (): void => {
      unsubscribe();
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const pushNext = (): void => {
      const frame = new Int16Array(FRAME);
      frame.set(pcm.subarray(next * FRAME, Math.min(pcm.length, (next + 1) * FRAME)));
      next++;
      media.pushPcm(frame);
      if (next === frames) finish();
    };
    signal?.addEventListener('abort', finish);
    pushNext();
    if (next < frames) unsubscribe = clock.add(pushNext);
  });
}
