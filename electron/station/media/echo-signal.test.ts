import { describe, expect, it } from 'vitest';
import { toneDbfs } from '../../../native-audio/pcm';
import { echoPlan, echoSignal, measureEcho, RATE } from './echo-signal';

/** What an echo path returns: the plan delayed by `delayMs`, scaled, with optional noise. */
function echoed(samples: Int16Array, delayMs: number, gain: number, noise = 0): Int16Array {
  const delay = Math.round((delayMs * RATE) / 1000);
  const out = new Int16Array(samples.length + delay);
  let seed = 7;
  for (let i = 0; i < samples.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out[i + delay] = Math.round(samples[i]! * gain + ((seed / 2 ** 32) * 2 - 1) * noise);
  }
  return out;
}

describe('echo test signal', () => {
  it('carries a 1 kHz reference at -12 dBFS and sweeps', () => {
    const s = echoSignal();
    expect(s.length).toBe(0.6 * RATE);
    const burst = s.subarray(0.25 * RATE, 0.4 * RATE);
    expect(toneDbfs(burst, 1000, RATE)).toBeCloseTo(-12, 0);
  });

  it('measures the round trip, correlation and level of a delayed echo', () => {
    const plan = echoPlan();
    const m = measureEcho(plan, echoed(plan.samples, 237, 0.5));
    expect(m.roundTripMs).toBe(237);
    expect(m.correlation).toBeGreaterThan(0.99);
    // Half the amplitude: 6 dB below what was sent (the signal's RMS over sweeps, burst and gaps).
    const sent = measureEcho(plan, plan.samples).levelDbfs!;
    expect(m.levelDbfs! - sent).toBeCloseTo(-6, 0);
  });

  it('still finds a noisy echo, and reports a poor correlation for noise alone', () => {
    const plan = echoPlan();
    const noisy = measureEcho(plan, echoed(plan.samples, 80, 1, 600));
    expect(noisy.roundTripMs).toBe(80);
    expect(noisy.correlation).toBeGreaterThan(0.8);
    const noiseOnly = measureEcho(plan, echoed(new Int16Array(plan.samples.length), 0, 1, 3000));
    expect(noiseOnly.correlation).toBeLessThan(0.2);
  });

  it('reports silence as no echo', () => {
    const plan = echoPlan();
    expect(measureEcho(plan, new Int16Array(0))).toEqual({ roundTripMs: null, correlation: 0, levelDbfs: null });
  });
});
