/**
 * What a desk phone heard from a WhatsApp contact, checked the same way whichever agent carried the call:
 * an echoing contact's 1 kHz tone at its frequency and level, the 5 kHz part only G.722 can carry, and the
 * echo's correlation with what the desk sent, with its delay; a tone contact's tone.
 */
import { expect } from 'vitest';
import { dominantFrequency, medianToneDbfs, toneDbfs, windowedEcho } from '../../native-audio/pcm';
import type { Baresip } from './baresip';
import { readPcm } from './call-rig';

export interface EchoFigures {
  freq: number;
  level: number;
  r: number;
  lagMs: number;
}

/**
 * Where `hz` is first heard in a recording: the start of its first 20 ms carrying it within 20 dB of the
 * -12 dBFS it was sent at, in samples (-1 when never). Windows are measured from there, not from the
 * recording's start: on a loaded machine the audio may begin to flow a second or more after the call.
 */
function firstHeard(pcm: Int16Array, hz: number, rate: number): number {
  const frame = rate / 50;
  for (let at = 0; at + frame <= pcm.length; at += frame) {
    if (toneDbfs(pcm.subarray(at, at + frame), hz, rate) > -32) return at;
  }
  return -1;
}

/** `seconds` of the recording from `from`; fails naming what is missing when the call was not held long enough. */
function span(pcm: Int16Array, from: number, seconds: number, rate: number): Int16Array {
  expect(from, 'the tone is heard in the recording').toBeGreaterThanOrEqual(0);
  const window = pcm.subarray(from, from + Math.round(seconds * rate));
  expect(window.length, `${seconds} s recorded from ${(from / rate).toFixed(2)} s`).toBe(Math.round(seconds * rate));
  return window;
}

/**
 * The echo's delay is reported, not bounded: on a loaded machine it swings with the scheduler, and the
 * station's latency is measured by `npm run bench` against the 20 ms frame.
 */
export function expectEchoedTestSignal(desk: Baresip, codec: string): EchoFigures {
  const heard = readPcm(desk.recordings().heard[0]!);
  const sent = readPcm(desk.recordings().sent[0]!);
  const rate = heard.rate;
  // Skip the first second of the echo (jitter buffers filling), measure the next 1.5 s; its levels where
  // sound is heard, as a gap (a late frame filled with silence) is not a quieter echo.
  const start = firstHeard(heard.pcm, 1000, rate);
  const window = span(heard.pcm, start + rate, 1.5, rate);
  const freq = dominantFrequency(window, rate, 300, Math.min(3000, rate / 2 - 100), 5);
  expect(Math.abs(freq - 1000) / 1000).toBeLessThan(0.01);
  const level = medianToneDbfs(window, 1000, rate);
  expect(level).toBeGreaterThan(-20);
  expect(level).toBeLessThan(-8);
  if (rate === 16_000) {
    const hd = medianToneDbfs(window, 5000, rate);
    if (codec === 'G722') expect(hd).toBeGreaterThan(-30);
    else expect(hd).toBeLessThan(-45);
  }
  // The echo's delay once the buffers have shed the call setup's burst (they cut frames that stay
  // queued for a whole second): baresip -> station -> agent echo -> station -> baresip. The signal is
  // mostly a 1 kHz tone, so only its noise tells lags 1 ms apart: measure where nothing else changes.
  const from = start + rate;
  const maxLag = Math.round(rate * 0.4);
  // Per 100 ms, the median taken: a frame the agent's jitter FIFO dropped or filled with
  // silence on a loaded machine spoils one window, not the correlation of the whole second.
  const echo = windowedEcho(span(sent.pcm, from, 1, rate), heard.pcm.subarray(from), maxLag, rate);
  const r = echo.correlation;
  const lagMs = echo.delayMs;
  expect(r).toBeGreaterThan(0.8);
  return { freq, level, r, lagMs };
}

/** The contact's tone in the second after its first half second heard: its frequency within 1 %, above -20 dBFS where heard. */
export function expectToneHeard(desk: Baresip, hz: number): void {
  const heard = readPcm(desk.recordings().heard[0]!);
  const window = span(heard.pcm, firstHeard(heard.pcm, hz, heard.rate) + heard.rate / 2, 1, heard.rate);
  expect(Math.abs(dominantFrequency(window, heard.rate, 300, 3000, 5) - hz) / hz).toBeLessThan(0.01);
  expect(medianToneDbfs(window, hz, heard.rate)).toBeGreaterThan(-20);
}
