import { describe, expect, it } from 'vitest';
import { measureFrame } from './level-meter';
import { DualToneGenerator, ToneGenerator, sweep, toPcm16, whiteNoise } from './tone';

describe('tone', () => {
  it('keeps phase across frames: 20 ms frames equal one long tone', () => {
    const gen = new ToneGenerator(1000, -6, 16000);
    const frames = [0, 1, 2, 3].flatMap(() => [...toPcm16(gen.next(320))]);
    expect(Int16Array.from(frames)).toEqual(toPcm16(new ToneGenerator(1000, -6, 16000).next(1280)));
  });

  it('produces the requested level', () => {
    expect(measureFrame(toPcm16(new ToneGenerator(440, -20, 8000).next(8000))).rmsDbfs).toBeCloseTo(-20, 1);
    expect(measureFrame(new DualToneGenerator(697, 1209, -10, 8000).next(8000)).peakDbfs).toBeCloseTo(-4, 0);
    expect(measureFrame(whiteNoise(-30, 16000)).rmsDbfs).toBeCloseTo(-30, 0);
    expect(measureFrame(sweep(100, 3000, -3, 8000, 8000)).peakDbfs).toBeCloseTo(-3, 1);
  });

  it('refuses a frequency at or above Nyquist', () => {
    expect(() => new ToneGenerator(4000, -6, 8000)).toThrow(/not below Nyquist/);
  });

  it('replays the same noise for the same seed', () => {
    expect(whiteNoise(-10, 100, 7)).toEqual(whiteNoise(-10, 100, 7));
    expect(whiteNoise(-10, 100, 7)).not.toEqual(whiteNoise(-10, 100, 8));
  });
});
