/**
 * FIR design shared by the resamplers: a Kaiser-windowed sinc low-pass, and the clamp back to 16 bits.
 */

/** Zeroth-order modified Bessel function of the first kind, by its power series (for the Kaiser window). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** A linear-phase low-pass of `taps` taps at `sampleRate`, normalised to unity DC gain. */
export function kaiserLowPass(taps: number, cutoffHz: number, sampleRate: number, beta: number): Float64Array {
  const h = new Float64Array(taps);
  const centre = (taps - 1) / 2;
  const fc = cutoffHz / sampleRate;
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    const t = n - centre;
    const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
    const w = besselI0(beta * Math.sqrt(1 - (t / centre) ** 2)) / besselI0(beta);
    h[n] = sinc * w;
    sum += h[n]!;
  }
  for (let n = 0; n < taps; n++) h[n]! /= sum;
  return h;
}

/** Rounds and clamps a filter output to a 16-bit sample. */
export function toInt16(x: number): number {
  const s = Math.round(x);
  return s > 32767 ? 32767 : s < -32768 ? -32768 : s;
}
