import { describe, expect, it } from 'vitest';
import { LevelMeter, SILENCE_DBFS, measureFrame } from './level-meter';
import { tone } from './tone';

describe('level meter', () => {
  it('reads a full-scale sine as 0 dBFS RMS and peak, and -20 dBFS sine as -20', () => {
    const full = measureFrame(tone(1000, 0, 16000, 320));
    expect(full.rmsDbfs).toBeCloseTo(0, 1);
    expect(full.peakDbfs).toBeCloseTo(0, 1);
    expect(measureFrame(tone(1000, -20, 16000, 320)).rmsDbfs).toBeCloseTo(-20, 1);
  });

  it('reads silence as the silence floor, not -Infinity', () => {
    expect(measureFrame(new Int16Array(160))).toEqual({ rmsDbfs: SILENCE_DBFS, peakDbfs: SILENCE_DBFS });
  });

  it('holds the loudest frame', () => {
    const meter = new LevelMeter();
    meter.push(tone(1000, -30, 8000, 160));
    meter.push(tone(1000, -6, 8000, 160));
    meter.push(new Int16Array(160));
    expect(meter.frames).toBe(3);
    expect(meter.maxRmsDbfs).toBeCloseTo(-6, 1);
  });
});
