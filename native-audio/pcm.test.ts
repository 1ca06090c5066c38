import { describe, expect, it } from 'vitest';
import { bestLag, bufferToPcm, correlation, dominantFrequency, medianToneDbfs, pcmToBuffer, toneDbfs, windowedEcho, zeroCrossingFrequency } from './pcm';
import { tone, whiteNoise } from './tone';

describe('pcm', () => {
  it('converts samples to little-endian bytes and back, at any byte offset', () => {
    const pcm = Int16Array.of(0, 1, -1, 32767, -32768, 0x1234);
    const bytes = pcmToBuffer(pcm);
    expect([...bytes.subarray(10, 12)]).toEqual([0x34, 0x12]);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(bufferToPcm(shifted.subarray(1))).toEqual(pcm);
    expect(() => bufferToPcm(new Uint8Array(3))).toThrow(/3 bytes is not a whole number/);
  });

  it('measures a tone level in dBFS and ignores other frequencies', () => {
    expect(toneDbfs(tone(1000, -12, 16000, 16000), 1000, 16000)).toBeCloseTo(-12, 1);
    expect(toneDbfs(tone(1000, -12, 16000, 16000), 3000, 16000)).toBeLessThan(-80);
  });

  it('reads a tone with gaps at its level where it is heard; other sound reads low, silence not at all', () => {
    const gappy = new Int16Array(16000);
    gappy.set(tone(1000, -12, 16000, 4800), 3200); // 300 ms of tone in a second of silence
    expect(toneDbfs(gappy, 1000, 16000)).toBeLessThan(-16);
    expect(medianToneDbfs(gappy, 1000, 16000)).toBeCloseTo(-12, 1);
    expect(medianToneDbfs(tone(700, -12, 16000, 16000), 1000, 16000)).toBeLessThan(-40);
    expect(medianToneDbfs(new Int16Array(16000), 1000, 16000)).toBe(-Infinity);
  });

  it('finds an echo per 100 ms: a dropped frame spoils one window, not the delay or the match', () => {
    const said = whiteNoise(-15, 16000, 3);
    const back = new Int16Array(16000 + 4000);
    back.set(said.subarray(0, 14000), 1600); // 100 ms later...
    back.set(said.subarray(14320), 1600 + 14000); // ...and a 20 ms frame lost in the last quarter second
    const echo = windowedEcho(said, back, 1600, 16000);
    expect(echo.delayMs).toBe(100);
    expect(echo.correlation).toBeGreaterThan(0.99);
  });

  it('finds an echo through a frame lost in each of three quarter seconds (a loaded path)', () => {
    const said = whiteNoise(-15, 16000, 4);
    const back = new Int16Array(16000 + 4000);
    // 100 ms later, with the 20 ms frames at 200, 450 and 700 ms lost: the rest of the echo comes earlier each time.
    let at = 1600;
    let from = 0;
    for (const lost of [3200, 7200, 11200, 16000]) {
      back.set(said.subarray(from, lost), at);
      at += lost - from;
      from = lost + 320;
    }
    const echo = windowedEcho(said, back, 1600, 16000);
    expect(echo.correlation).toBeGreaterThan(0.99);
    expect(echo.delayMs).toBeGreaterThanOrEqual(60);
    expect(echo.delayMs).toBeLessThanOrEqual(100);
  });

  it('estimates frequency by zero crossings and by Goertzel scan', () => {
    expect(zeroCrossingFrequency(tone(1234, -6, 16000, 16000), 16000)).toBeCloseTo(1234, 0);
    expect(dominantFrequency(tone(437, -20, 8000, 8000), 8000)).toBeCloseTo(437, 0);
  });

  it('correlates equal shapes at 1, inverted at -1, unrelated noise near 0, and finds a delay', () => {
    const a = whiteNoise(-10, 4000, 1);
    expect(correlation(a, a.map((s) => s >> 1))).toBeCloseTo(1, 3);
    expect(correlation(a, a.map((s) => -s))).toBeCloseTo(-1, 3);
    expect(Math.abs(correlation(a, whiteNoise(-10, 4000, 2)))).toBeLessThan(0.1);
    const delayed = new Int16Array(4000);
    delayed.set(a.subarray(0, 3990), 10);
    expect(bestLag(a, delayed, 20)).toEqual({ lag: 10, r: expect.closeTo(1, 3) });
  });
});
