/**
 * PCM helpers for moving and measuring 16-bit mono audio: byte conversion for sockets and files,
 * tone level and frequency by Goertzel, and correlation for comparing what came out with what went in.
 */

/** 16-bit samples as little-endian bytes (the agent protocol's and WAV's byte order), copied. */
export function pcmToBuffer(pcm: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i]!, i * 2);
  return out;
}

/** Little-endian bytes as 16-bit samples, copied (so any byte offset works). */
export function bufferToPcm(bytes: Uint8Array): Int16Array {
  if (bytes.length % 2 !== 0) throw new Error(`PCM: ${bytes.length} bytes is not a whole number of 16-bit samples`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** Blocks of samples one after another, in one array. */
export function concatPcm(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Goertzel power of one frequency in a block: the squared magnitude of the DFT at `frequency`
 * (which need not fall on a bin). A sine of peak A over N samples gives about (A * N / 2)^2.
 */
export function goertzelPower(pcm: ArrayLike<number>, frequency: number, sampleRate: number, start = 0, length = pcm.length - start): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + length; i++) {
    const s0 = pcm[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Peak amplitude of the `frequency` component in the block (a sine of peak A reads about A). */
export function toneAmplitude(pcm: ArrayLike<number>, frequency: number, sampleRate: number): number {
  return (2 * Math.sqrt(goertzelPower(pcm, frequency, sampleRate))) / pcm.length;
}

/** Level of the `frequency` component in dBFS (0 dBFS = full-scale sine). */
export function toneDbfs(pcm: ArrayLike<number>, frequency: number, sampleRate: number): number {
  return 20 * Math.log10(toneAmplitude(pcm, frequency, sampleRate) / 32767);
}

/** Below this RMS a block is silence (a gap), not a quiet sound. */
const GAP_DBFS = -60;

/**
 * The level of the `frequency` component where sound is heard: read in every `windowSamples` block
 * that is not silence, the median taken (-Infinity when all of it is silence). A gap (a late frame
 * replaced by nothing) is left out rather than read as a quieter tone, as `toneDbfs` over the whole
 * block would; a block of other sound counts, and reads low.
 */
export function medianToneDbfs(pcm: ArrayLike<number>, frequency: number, sampleRate: number, windowSamples = sampleRate / 50): number {
  const levels: number[] = [];
  for (let at = 0; at + windowSamples <= pcm.length; at += windowSamples) {
    let energy = 0;
    for (let i = at; i < at + windowSamples; i++) energy += pcm[i]! * pcm[i]!;
    // RMS against a full-scale sine's, as toneDbfs reads a sine's level.
    if (10 * Math.log10(energy / windowSamples / (32767 * 32767 / 2)) < GAP_DBFS) continue;
    const amplitude = (2 * Math.sqrt(goertzelPower(pcm, frequency, sampleRate, at, windowSamples))) / windowSamples;
    levels.push(20 * Math.log10(amplitude / 32767));
  }
  return levels.sort((a, b) => a - b)[Math.floor(levels.length / 2)] ?? -Infinity;
}

/**
 * Frequency of a clean tone from its zero crossings, interpolated between samples: cheap and exact
 * enough (well under 1 Hz over a second) for a single tone; use `dominantFrequency` for anything else.
 */
export function zeroCrossingFrequency(pcm: ArrayLike<number>, sampleRate: number): number {
  let first = -1;
  let last = -1;
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) {
    const a = pcm[i - 1]!;
    const b = pcm[i]!;
    if (a < 0 && b >= 0) {
      const at = i - 1 + a / (a - b);
      if (first < 0) first = at;
      else crossings++;
      last = at;
    }
  }
  return crossings > 0 ? (crossings * sampleRate) / (last - first) : 0;
}

/**
 * The strongest frequency between `lowHz` and `highHz`, by a Goertzel scan in `stepHz` steps refined
 * to a tenth of a step. No FFT needed: seconds of audio scan in milliseconds at the default step.
 */
export function dominantFrequency(pcm: ArrayLike<number>, sampleRate: number, lowHz = 20, highHz = sampleRate / 2 - 20, stepHz = 10): number {
  const strongest = (from: number, to: number, step: number): number => {
    let best = from;
    let bestPower = -1;
    for (let f = from; f <= to; f += step) {
      const power = goertzelPower(pcm, f, sampleRate);
      if (power > bestPower) {
        bestPower = power;
        best = f;
      }
    }
    return best;
  };
  const coarse = strongest(lowHz, highHz, stepHz);
  return strongest(Math.max(lowHz, coarse - stepHz), Math.min(highHz, coarse + stepHz), stepHz / 10);
}

/** Pearson correlation coefficient of two equally long signals (1 = same shape, any gain). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`correlation: lengths differ (${a.length} vs ${b.length})`);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/**
 * The delay of `output` against `input` (0..maxLag samples) with the best correlation, and that
 * correlation: how a test tells a codec or resampler path both kept the audio and by how much it delayed it.
 */
export function bestLag(input: ArrayLike<number>, output: ArrayLike<number>, maxLag: number): { lag: number; r: number } {
  const n = Math.min(input.length, output.length) - maxLag;
  if (n <= 0) throw new Error(`bestLag: signals of ${input.length} and ${output.length} samples are shorter than lag ${maxLag}`);
  // The input window is fixed: its mean and energy are computed once; each lag then costs one pass.
  let ma = 0;
  for (let i = 0; i < n; i++) ma += input[i]!;
  ma /= n;
  let aa = 0;
  for (let i = 0; i < n; i++) aa += (input[i]! - ma) ** 2;
  let best = { lag: 0, r: -2 };
  for (let lag = 0; lag <= maxLag; lag++) {
    let sb = 0;
    let sab = 0;
    let sbb = 0;
    for (let i = 0; i < n; i++) {
      const b = output[lag + i]!;
      sb += b;
      sab += (input[i]! - ma) * b;
      sbb += b * b;
    }
    // Pearson r with the output's mean taken out algebraically: sum((a-ma)(b-mb)) = sum((a-ma) b).
    const bb = sbb - (sb * sb) / n;
    const r = aa === 0 || bb <= 0 ? 0 : sab / Math.sqrt(aa * bb);
    if (r > best.r) best = { lag, r };
  }
  return best;
}

/**
 * The delay of an echo and how closely it matches, measured per 100 ms of `signal` (five 20 ms frames)
 * and the median of each taken, so a lost or late frame in the path (a jitter buffer filling a gap with
 * silence, an agent shedding a frame to keep its queue short) spoils one window, not the result: with
 * quarter-second windows, two such frames in a second spoiled half of them.
 * `output` starts where `signal` started; each window is searched from 200 ms before that point (every
 * frame the path drops pulls the rest of the echo earlier) to `maxLag` samples after it.
 */
export function windowedEcho(signal: Int16Array, output: Int16Array, maxLag: number, sampleRate: number): { delayMs: number; correlation: number } {
  const window = Math.round(sampleRate / 10);
  const results: { lag: number; r: number }[] = [];
  for (let start = 0; start + window <= signal.length; start += window) {
    const back = Math.min(start, Math.round(sampleRate / 5));
    const span = maxLag + back;
    // bestLag compares the first (length - span) samples: the window, padded to the output's length.
    const input = new Int16Array(window + span);
    input.set(signal.subarray(start, start + window));
    const found = bestLag(input, output.subarray(start - back, start - back + window + span), span);
    results.push({ lag: found.lag - back, r: found.r });
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { delayMs: (median(results.map((x) => x.lag)) * 1000) / sampleRate, correlation: median(results.map((x) => x.r)) };
}
