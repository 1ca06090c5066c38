/**
 * Voice prompts (16 kHz mono WAVs), read once and cached on the control thread, and played into a call's
 * media session inside its media worker (MediaSessionHandle.play -> worker-phone-audio.ts -> `play`),
 * one 20 ms frame per tick scheduled from the start time, so a busy control thread cannot stretch them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
 * Plays samples into the session; resolves when done or when `signal` aborts (the caller pressed a key,
 * hung up). The last partial frame is padded with silence.
 */
export async function play(media: PcmSink, pcm: Int16Array, signal?: AbortSignal): Promise<void> {
  const frames = Math.ceil(pcm.length / FRAME);
  const start = performance.now();
  for (let i = 0; i < frames; i++) {
    if (signal?.aborted) return;
    const wait = start + i * 20 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const frame = new Int16Array(FRAME);
    frame.set(pcm.subarray(i * FRAME, Math.min(pcm.length, (i + 1) * FRAME)));
    media.pushPcm(frame);
  }
}
