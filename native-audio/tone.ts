/**
 * Test-signal sources: phase-continuous sine tones, dual tones (DTMF) and linear sweeps, at any
 * sample rate. Used by virtual phones and by tests and benches to measure the audio path.
 *
 * Levels are in dBFS for a sine: 0 dBFS is a full-scale sine with peak 32767.
 */

/** Peak amplitude of a sine at `dbfs` (0 dBFS = 32767 peak). */
export function sineAmplitude(dbfs: number): number {
  return 32767 * 10 ** (dbfs / 20);
}

/** A sine whose phase carries over from one `next()` call to the next, so frames join without clicks. */
export class ToneGenerator {
  private phase = 0;
  private readonly step: number;
  private readonly amplitude: number;

  constructor(frequency: number, dbfs: number, private readonly sampleRate: number) {
    if (!(frequency >= 0 && frequency < sampleRate / 2)) {
      throw new Error(`tone: ${frequency} Hz is not below Nyquist (${sampleRate / 2} Hz)`);
    }
    this.step = (2 * Math.PI * frequency) / sampleRate;
    this.amplitude = sineAmplitude(dbfs);
  }

  /** Adds the next `samples` of the tone into `into` (so tones can be mixed), or returns a new frame. */
  next(samples: number, into?: Float64Array): Float64Array {
    const out = into ?? new Float64Array(samples);
    for (let i = 0; i < samples; i++) {
      out[i]! += this.amplitude * Math.sin(this.phase);
      this.phase += this.step;
    }
    // Keep the phase small so float precision does not drift over hours of audio.
    this.phase %= 2 * Math.PI;
    return out;
  }
}

/** Rounds and clips float samples to 16-bit PCM. */
export function toPcm16(samples: Float64Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.round(samples[i]!);
    out[i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
  }
  return out;
}

/** Two tones added (e.g. a DTMF digit: one low-group and one high-group frequency), each at `dbfs`. */
export class DualToneGenerator {
  private readonly a: ToneGenerator;
  private readonly b: ToneGenerator;

  constructor(f1: number, f2: number, dbfsEach: number, sampleRate: number) {
    this.a = new ToneGenerator(f1, dbfsEach, sampleRate);
    this.b = new ToneGenerator(f2, dbfsEach, sampleRate);
  }

  next(samples: number): Int16Array {
    const mix = this.a.next(samples);
    this.b.next(samples, mix);
    return toPcm16(mix);
  }
}

/** One frame of a single tone as 16-bit PCM. */
export function tone(frequency: number, dbfs: number, sampleRate: number, samples: number): Int16Array {
  return toPcm16(new ToneGenerator(frequency, dbfs, sampleRate).next(samples));
}

/** A linear sine sweep from `f0` to `f1` Hz over `samples`, phase-continuous. */
export function sweep(f0: number, f1: number, dbfs: number, sampleRate: number, samples: number): Int16Array {
  const out = new Float64Array(samples);
  const amplitude = sineAmplitude(dbfs);
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    out[i] = amplitude * Math.sin(phase);
    phase += (2 * Math.PI * (f0 + ((f1 - f0) * i) / samples)) / sampleRate;
  }
  return toPcm16(out);
}

/**
 * Seeded white noise (uniform, xorshift32), so a failing test replays the same samples.
 * `dbfs` is the RMS level relative to a full-scale sine's RMS.
 */
export function whiteNoise(dbfs: number, samples: number, seed = 1): Int16Array {
  // A uniform distribution on [-A, A] has RMS A / sqrt(3); a full-scale sine's RMS is 32767 / sqrt(2).
  const amplitude = (sineAmplitude(dbfs) / Math.SQRT2) * Math.sqrt(3);
  const out = new Float64Array(samples);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < samples; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = amplitude * (state / 2 ** 31 - 1);
  }
  return toPcm16(out);
}
