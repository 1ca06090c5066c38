import { describe, expect, it } from 'vitest';
import { bestLag, toneDbfs } from './pcm';
import { Downsampler2x, RESAMPLER_DELAY_MS, Upsampler2x, createResampler } from './resampler';
import { ToneGenerator, toPcm16, tone, whiteNoise } from './tone';

/** Streams `seconds` of a tone through the resampler in 20 ms frames; returns the output after 100 ms of settling. */
function throughFrames(resampler: Upsampler2x | Downsampler2x, f: number, inRate: number, frame: number): Int16Array {
  const gen = new ToneGenerator(f, -6, inRate);
  const out: number[] = [];
  for (let i = 0; i < inRate / frame; i++) {
    const y = resampler.process(toPcm16(gen.next(frame)));
    expect(y.length).toBe(resampler instanceof Upsampler2x ? frame * 2 : frame / 2);
    out.push(...y);
  }
  const settle = (resampler instanceof Upsampler2x ? 2 : 0.5) * inRate * 0.1;
  return Int16Array.from(out.slice(settle));
}

describe('Upsampler2x (8 -> 16 kHz)', () => {
  it('turns 160-sample frames into 320 and passes 1 kHz with less than 0.5 dB loss', () => {
    const out = throughFrames(new Upsampler2x(), 1000, 8000, 160);
    expect(Math.abs(toneDbfs(out, 1000, 16000) - -6)).toBeLessThan(0.5);
  });

  it.each([300, 1000, 3000, 3400])('rejects the image of %i Hz by more than 60 dB', (f) => {
    const out = throughFrames(new Upsampler2x(), f, 8000, 160);
    // Zero-stuffing mirrors f about 4 kHz: the image the filter must remove sits at 8000 - f.
    const image = toneDbfs(out, 8000 - f, 16000);
    expect(toneDbfs(out, f, 16000) - image).toBeGreaterThan(60);
  });
});

describe('Downsampler2x (16 -> 8 kHz)', () => {
  it('turns 320-sample frames into 160 and passes 1 kHz with less than 0.5 dB loss', () => {
    const out = throughFrames(new Downsampler2x(), 1000, 16000, 320);
    expect(Math.abs(toneDbfs(out, 1000, 8000) - -6)).toBeLessThan(0.5);
  });

  it('rejects a 6 kHz tone (which would alias to 2 kHz) by more than 60 dB', () => {
    const out = throughFrames(new Downsampler2x(), 6000, 16000, 320);
    expect(-6 - toneDbfs(out, 2000, 8000)).toBeGreaterThan(60);
  });

  it('gives the same output whatever the frame lengths, odd ones included', () => {
    const input = whiteNoise(-10, 4000, 3);
    const whole = new Downsampler2x().process(input);
    const pieces = new Downsampler2x();
    const parts: number[] = [];
    for (let at = 0, k = 0; at < input.length; k++) {
      const size = [1, 3, 320, 7, 2][k % 5]!;
      parts.push(...pieces.process(input.subarray(at, at + size)));
      at += size;
    }
    expect(Int16Array.from(parts)).toEqual(whole);
  });
});

describe('resampler delay', () => {
  it(`delays by ${RESAMPLER_DELAY_MS.toFixed(2)} ms each way, 31.5 samples at 16 kHz`, () => {
    expect(RESAMPLER_DELAY_MS).toBeCloseTo(1.96875, 5);
    // A round trip 8 -> 16 -> 8 kHz delays by 63 samples at 16 kHz = 31.5 at 8 kHz; band-limited noise
    // keeps its shape (correlation near 1) at a lag of 31 or 32.
    const input = Int16Array.from(new Downsampler2x().process(whiteNoise(-10, 16000, 5)));
    const out = new Downsampler2x().process(new Upsampler2x().process(input));
    const { lag, r } = bestLag(input, out, 40);
    expect([31, 32]).toContain(lag);
    expect(r).toBeGreaterThan(0.9);
  });

  it('keeps the level of a tone through a round trip', () => {
    const input = tone(1000, -12, 8000, 8000);
    const out = new Downsampler2x().process(new Upsampler2x().process(input));
    expect(Math.abs(toneDbfs(out.subarray(800), 1000, 8000) - -12)).toBeLessThan(0.2);
  });
});

describe('createResampler', () => {
  it('picks the converter for 8 <-> 16 kHz and refuses other rates', () => {
    expect(createResampler(8000, 16000).process(new Int16Array(160)).length).toBe(320);
    expect(createResampler(16000, 8000).process(new Int16Array(320)).length).toBe(160);
    expect(() => createResampler(8000, 48000)).toThrow(/no converter from 8000 Hz to 48000 Hz/);
  });
});
