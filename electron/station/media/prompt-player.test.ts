import { describe, expect, it } from 'vitest';
import { PacingClock } from '../../../native-audio/pacing-clock';
import { concatPcm, toneDbfs, zeroCrossingFrequency } from '../../../native-audio/pcm';
import { measureFrame } from '../../../native-audio/level-meter';
import { ManualTimeSource } from '../../../native-audio/time-source';
import { tone } from '../../../native-audio/tone';
import { play, PromptLibrary } from './prompt-player';

/** A prompt playing on a manual clock into a sink that keeps every frame, and whether it has ended. */
function start(pcm: Int16Array, signal?: AbortSignal) {
  const time = new ManualTimeSource();
  const clock = new PacingClock({ time });
  const frames: Int16Array[] = [];
  const run = { ended: false };
  const done = play({ pushPcm: (f) => frames.push(f) }, pcm, clock, signal).then(() => (run.ended = true));
  /** One 20 ms period, then the promise callbacks that the ticks queued. */
  const step = async () => {
    time.advance(20);
    await Promise.resolve();
    await Promise.resolve();
  };
  return { time, clock, frames, run, done, step };
}

describe('prompt player', () => {
  it('sends the first frame at once and exactly one more per tick, the prompt intact, then ends', async () => {
    // 1.01 s of 440 Hz at -12 dBFS: 50 whole frames and half of a 51st.
    const pcm = tone(440, -12, 16_000, 16_160);
    const p = start(pcm);
    expect(p.frames).toHaveLength(1);
    for (let k = 1; k < 51; k++) {
      expect(p.run.ended).toBe(false);
      await p.step();
      expect(p.frames).toHaveLength(k + 1);
    }
    expect(p.run.ended).toBe(true);
    // Nothing after the end, and the clock is released.
    for (let k = 0; k < 10; k++) await p.step();
    expect(p.frames).toHaveLength(51);
    expect(p.clock.stats().listeners).toBe(0);

    expect(p.frames.every((f) => f.length === 320)).toBe(true);
    const out = concatPcm(p.frames);
    expect(out.subarray(0, pcm.length)).toEqual(pcm);
    expect(zeroCrossingFrequency(out.subarray(0, pcm.length), 16_000)).toBeCloseTo(440, 0);
    expect(toneDbfs(out.subarray(0, pcm.length), 440, 16_000)).toBeCloseTo(-12, 0);
    // The last frame is padded with silence.
    expect(measureFrame(out.subarray(pcm.length)).peakDbfs).toBe(measureFrame(new Int16Array(160)).peakDbfs);
  });

  it('plays a prompt of the library in as many ticks as it has frames, at its recorded level', async () => {
    const pcm = new PromptLibrary().get('goodbye');
    const frames = Math.ceil(pcm.length / 320);
    const p = start(pcm);
    for (let k = 1; k < frames; k++) await p.step();
    expect(p.run.ended).toBe(true);
    expect(p.frames).toHaveLength(frames);
    const out = concatPcm(p.frames);
    expect(out.subarray(0, pcm.length)).toEqual(pcm);
    // A spoken prompt: well above silence, below full scale.
    const level = measureFrame(out).rmsDbfs;
    expect(level).toBeGreaterThan(-40);
    expect(level).toBeLessThan(-3);
  });

  it('stops between two frames when its signal aborts, and ends at once', async () => {
    const ctl = new AbortController();
    const p = start(tone(440, -12, 16_000, 16_000), ctl.signal);
    for (let k = 0; k < 9; k++) await p.step();
    expect(p.frames).toHaveLength(10);
    ctl.abort();
    await p.done;
    for (let k = 0; k < 5; k++) await p.step();
    expect(p.frames).toHaveLength(10);
    expect(p.clock.stats().listeners).toBe(0);
  });

  it('feeds a session on the same clock one frame per tick with one frame queued, never running dry', async () => {
    const time = new ManualTimeSource();
    const clock = new PacingClock({ time });
    // The session's side, as rtp-session.ts does it: it subscribed first and sends one queued frame per tick.
    const queue: Int16Array[] = [];
    const sent: (Int16Array | null)[] = [];
    let deepest = 0;
    const stopSession = clock.add(() => sent.push(queue.shift() ?? null));
    const pcm = tone(1000, -20, 16_000, 320 * 25);
    const done = play({ pushPcm: (f) => queue.push(f) }, pcm, clock);
    for (let k = 0; k < 30; k++) {
      time.advance(20);
      deepest = Math.max(deepest, queue.length);
    }
    await done;
    stopSession();
    expect(deepest).toBe(1);
    // Every frame of the prompt, in order and back to back, then nothing.
    expect(sent.slice(0, 25).every((f) => f !== null)).toBe(true);
    expect(concatPcm(sent.slice(0, 25) as Int16Array[])).toEqual(pcm);
    expect(sent.slice(25)).toEqual([null, null, null, null, null]);
  });
});
