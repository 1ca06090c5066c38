import { describe, expect, it } from 'vitest';
import { DTMF_DIGITS, DtmfDetector, dtmfFrequencies, type DtmfEvent } from './dtmf-detector';
import { DualToneGenerator, ToneGenerator, toPcm16, whiteNoise } from './tone';

const RATES = [8000, 16000] as const;

/** Feeds `ms` of audio from `next` in 20 ms frames. */
function feed(det: DtmfDetector, rate: number, ms: number, next: (samples: number) => Int16Array): DtmfEvent[] {
  const events: DtmfEvent[] = [];
  const frame = rate / 50;
  for (let t = 0; t < ms; t += 20) events.push(...det.push(next(frame)));
  return events;
}

/** A vowel-like sound: harmonics of a gliding pitch with falling amplitude, plus breath noise. */
function speechLike(rate: number, samples: number): Int16Array {
  const out = new Float64Array(samples);
  const noise = whiteNoise(-30, samples, 9);
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const f0 = 110 + 60 * Math.sin((2 * Math.PI * i) / rate / 0.7);
    phase += (2 * Math.PI * f0) / rate;
    let s = 0;
    for (let h = 1; h * f0 < rate / 2 && h <= 30; h++) s += Math.sin(h * phase) / h;
    out[i] = 6000 * s + noise[i]!;
  }
  return toPcm16(out);
}

describe.each(RATES)('DTMF detector at %i Hz', (rate) => {
  it.each([-10, -18, -25])('detects all 16 digits at %i dBFS per tone, on once and off once', (dbfs) => {
    const det = new DtmfDetector(rate);
    for (const digit of DTMF_DIGITS) {
      const [low, high] = dtmfFrequencies(digit);
      const gen = new DualToneGenerator(low, high, dbfs, rate);
      const on = feed(det, rate, 100, (n) => gen.next(n));
      const off = feed(det, rate, 100, (n) => new Int16Array(n));
      expect([...on, ...off].map((e) => `${e.digit} ${e.state}`)).toEqual([`${digit} on`, `${digit} off`]);
    }
  });

  it('reports a 40 ms digit (the shortest valid) and times it', () => {
    const det = new DtmfDetector(rate);
    const gen = new DualToneGenerator(852, 1477, -15, rate);
    const events = [...feed(det, rate, 40, (n) => gen.next(n)), ...feed(det, rate, 60, (n) => new Int16Array(n))];
    expect(events).toEqual([
      { digit: '9', state: 'on', atMs: 40 },
      { digit: '9', state: 'off', atMs: 80 },
    ]);
  });

  it('detects nothing in speech-like sound or noise', () => {
    const det = new DtmfDetector(rate);
    const speech = speechLike(rate, rate * 3);
    let at = 0;
    expect(feed(det, rate, 3000, (n) => speech.subarray(at, (at += n)))).toEqual([]);
    for (const level of [-30, -15, -3]) {
      const noise = whiteNoise(level, rate, level + 100);
      at = 0;
      expect(feed(det, rate, 1000, (n) => noise.subarray(at, (at += n)))).toEqual([]);
    }
  });

  it('detects nothing from single DTMF tones or a 440 Hz (or 350 + 440 Hz) dial tone', () => {
    const det = new DtmfDetector(rate);
    for (const f of [697, 770, 852, 941, 1209, 1336, 1477, 1633, 440]) {
      const gen = new ToneGenerator(f, -10, rate);
      expect(feed(det, rate, 200, (n) => toPcm16(gen.next(n)))).toEqual([]);
    }
    const dial = new DualToneGenerator(350, 440, -13, rate);
    expect(feed(det, rate, 500, (n) => dial.next(n))).toEqual([]);
  });

  it('rejects a digit whose tones differ by more than the allowed twist', () => {
    const det = new DtmfDetector(rate);
    const low = new ToneGenerator(770, -10, rate);
    const high = new ToneGenerator(1336, -25, rate);
    expect(feed(det, rate, 200, (n) => toPcm16(high.next(n, low.next(n))))).toEqual([]);
  });
});
