/**
 * What a simulated remote contact plays into a call: a sine tone or a looped WAV file, as a stream of
 * 20 ms frames in the agent's format (16 kHz s16le mono). A source only makes samples; pacing is the
 * caller's business (see native-audio/pacing-clock.ts).
 */
import { AUDIO_FRAME_BYTES, AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE } from '../../protocol';
import { readMonoWav } from '../../../native-audio/wav';

export interface FrameSource {
  /** The next 20 ms of audio (AUDIO_FRAME_BYTES bytes). */
  next(): Buffer;
}

/** -12 dBFS: loud enough to measure, with headroom for codecs and resamplers. */
export const TONE_AMPLITUDE = Math.round(32767 * 10 ** (-12 / 20));

export function toneSource(frequencyHz: number, amplitude = TONE_AMPLITUDE): FrameSource {
  let sample = 0;
  const step = (2 * Math.PI * frequencyHz) / AUDIO_SAMPLE_RATE;
  return {
    next() {
      const frame = Buffer.alloc(AUDIO_FRAME_BYTES);
      for (let i = 0; i < AUDIO_FRAME_SAMPLES; i++, sample++) {
        frame.writeInt16LE(Math.round(amplitude * Math.sin(step * sample)), i * 2);
      }
      // Keep the phase counter small so precision never degrades over a long call.
      sample %= AUDIO_SAMPLE_RATE;
      return frame;
    },
  };
}

/** Loops the PCM forever, wrapping across the end of the file inside a frame. */
export function loopSource(pcm: Buffer): FrameSource {
  let offset = 0;
  return {
    next() {
      const frame = Buffer.alloc(AUDIO_FRAME_BYTES);
      let filled = 0;
      while (filled < frame.length) {
        const n = pcm.copy(frame, filled, offset, Math.min(pcm.length, offset + frame.length - filled));
        filled += n;
        offset = (offset + n) % pcm.length;
      }
      return frame;
    },
  };
}

export function wavSource(path: string): FrameSource {
  return loopSource(readMonoWav(path, AUDIO_SAMPLE_RATE));
}
