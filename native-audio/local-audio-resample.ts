/**
 * 16 kHz <-> 48 kHz for sound devices that will not open at 16 kHz (many USB headsets run only at
 * 48 kHz). The station's PCM is 16 kHz; the factor is exactly 3, so a polyphase FIR does it without
 * fractional positions, the same way native-audio/resampler.ts does 8 <-> 16 kHz.
 *
 * One 96-tap Kaiser-windowed sinc low-pass at 48 kHz (cutoff 7.6 kHz, beta 8: about 80 dB stopband
 * from 8.4 kHz) serves both directions. Both keep their history across calls, so 20 ms frames
 * (320 <-> 960 samples) join seamlessly.
 *
 * Delay: (96 - 1) / 2 samples at 48 kHz, about 1 ms, in each direction.
 */
import { kaiserLowPass, toInt16 } from './fir';
import type { Resampler } from './resampler';

export const FACTOR = 3;
const TAPS = 96;
const PHASE_TAPS = TAPS / FACTOR;
const CUTOFF_HZ = 7600;
const KAISER_BETA = 8;
const HIGH_RATE = 48_000;

const H = kaiserLowPass(TAPS, CUTOFF_HZ, HIGH_RATE, KAISER_BETA);

/** 16 kHz in, 48 kHz out. */
export class Upsampler3x implements Resampler {
  /** The newest PHASE_TAPS - 1 input samples of the previous call, oldest first. */
  private history = new Float64Array(PHASE_TAPS - 1);

  process(input: Int16Array): Int16Array {
    const keep = this.history.length;
    const x = new Float64Array(keep + input.length);
    x.set(this.history);
    for (let i = 0; i < input.length; i++) x[keep + i] = input[i]!;
    const out = new Int16Array(input.length * FACTOR);
    for (let m = 0; m < input.length; m++) {
      const newest = keep + m;
      for (let p = 0; p < FACTOR; p++) {
        let acc = 0;
        // Zero stuffing divides the energy by 3: the gain of 3 puts it back.
        for (let k = 0; k < PHASE_TAPS; k++) acc += H[p + FACTOR * k]! * x[newest - k]!;
        out[FACTOR * m + p] = toInt16(FACTOR * acc);
      }
    }
    this.history = x.slice(x.length - keep);
    return out;
  }
}

/** 48 kHz in, 16 kHz out: one output per three inputs; a partial group counts toward the next call. */
export class Downsampler3x implements Resampler {
  private history = new Float64Array(TAPS - 1);
  /** Index in the next input of the next sample that yields an output. */
  private next = 0;

  process(input: Int16Array): Int16Array {
    const keep = this.history.length;
    const x = new Float64Array(keep + input.length);
    x.set(this.history);
    for (let i = 0; i < input.length; i++) x[keep + i] = input[i]!;
    const out: number[] = [];
    let i = this.next;
    for (; i < input.length; i += FACTOR) {
      let acc = 0;
      for (let k = 0; k < TAPS; k++) acc += H[k]! * x[keep + i - k]!;
      out.push(toInt16(acc));
    }
    this.next = i - input.length;
    this.history = x.slice(x.length - keep);
    return Int16Array.from(out);
  }
}

/** The converters between the station's 16 kHz and a device rate: none, or 3x each way. */
export function deviceResamplers(deviceRate: number): { toDevice: Resampler | null; fromDevice: Resampler | null } {
  if (deviceRate === 16_000) return { toDevice: null, fromDevice: null };
  if (deviceRate === HIGH_RATE) return { toDevice: new Upsampler3x(), fromDevice: new Downsampler3x() };
  throw new Error(`local audio: no converter between 16000 Hz and ${deviceRate} Hz (only 16000 or 48000)`);
}
