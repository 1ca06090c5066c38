/**
 * What a desk phone heard from a WhatsApp contact, checked the same way whichever agent carried the call:
 * an echoing contact's 1 kHz tone at its frequency and level, the 5 kHz part only G.722 can carry, and the
 * echo's correlation with what the desk sent, with its delay; a tone contact's tone.
 */
import { expect } from 'vitest';
import { bestLag, dominantFrequency, toneDbfs } from '../../native-audio/pcm';
import type { Baresip } from './baresip';
import { readPcm } from './call-rig';

export interface EchoFigures {
  freq: number;
  level: number;
  r: number;
  lagMs: number;
}

/**
 * The echo's delay is reported, not bounded: on a loaded machine it swings with the scheduler, and the
 * station's latency is measured by `npm run bench` against the 20 ms frame.
 */
export function expectEchoedTestSignal(desk: Baresip, codec: string): EchoFigures {
  const heard = readPcm(desk.recordings().heard[0]!);
  const sent = readPcm(desk.recordings().sent[0]!);
  const rate = heard.rate;
  // Skip the first second (call setup, jitter buffers filling), measure the next 1.5 s.
  const window = heard.pcm.subarray(rate, rate * 2.5);
  const freq = dominantFrequency(window, rate, 300, Math.min(3000, rate / 2 - 100), 5);
  expect(Math.abs(freq - 1000) / 1000).toBeLessThan(0.01);
  const level = toneDbfs(window, 1000, rate);
  expect(level).toBeGreaterThan(-20);
  expect(level).toBeLessThan(-8);
  if (rate === 16_000) {
    const hd = toneDbfs(window, 5000, rate);
    if (codec === 'G722') expect(hd).toBeGreaterThan(-30);
    else expect(hd).toBeLessThan(-45);
  }
  // The echo's delay once the buffers have shed the call setup's burst (they cut frames that stay
  // queued for a whole second): baresip -> station -> agent echo -> station -> baresip. The signal is
  // mostly a 1 kHz tone, so only its noise tells lags 1 ms apart: measure where nothing else changes.
  const from = rate * 2;
  const maxLag = Math.round(rate * 0.4);
  const { r, lag } = bestLag(sent.pcm.subarray(from, from + rate + maxLag), heard.pcm.subarray(from, from + rate + maxLag), maxLag);
  const lagMs = (lag / rate) * 1000;
  expect(r).toBeGreaterThan(0.8);
  return { freq, level, r, lagMs };
}

/** The contact's tone in the second second of what the desk heard: its frequency within 1 %, above -20 dBFS. */
export function expectToneHeard(desk: Baresip, hz: number): void {
  const heard = readPcm(desk.recordings().heard[0]!);
  const window = heard.pcm.subarray(heard.rate, heard.rate * 2);
  expect(Math.abs(dominantFrequency(window, heard.rate, 300, 3000, 5) - hz) / hz).toBeLessThan(0.01);
  expect(toneDbfs(window, hz, heard.rate)).toBeGreaterThan(-20);
}
