import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency, toneDbfs } from '../../../native-audio/pcm';
import { waitFor } from '../../../test/support/wait';
import { setLogLevel } from '../util/log';
import { MediaEngine, type MediaSessionHandle } from './media-engine';
import type { NegotiatedAudio } from './sdp';

setLogLevel('warn');

const neg = (remotePort: number): NegotiatedAudio => ({
  codec: 'G722', payloadType: 9, telephoneEventPt: 101, remoteAddress: '127.0.0.1', remotePort, remoteRtcpPort: remotePort + 1, direction: 'sendrecv', ptime: 20,
});

describe('MediaEngine (worker_threads)', () => {
  let engine: MediaEngine;
  beforeAll(async () => {
    engine = await MediaEngine.start({ workers: 2, statsIntervalMs: 200 });
  });
  afterAll(async () => {
    await engine.stop();
  });

  afterEach(async () => {
    const stats = await engine.pullStats();
    // Release whatever a failed test left behind so the next test starts from empty workers.
    await Promise.all(stats.flatMap((w) => w.sessions).map((s) => handles.get(s.id)?.destroy()));
    handles.clear();
  });
  const handles = new Map<string, MediaSessionHandle>();
  const track = (h: MediaSessionHandle): MediaSessionHandle => (handles.set(h.id, h), h);

  it('carries PCM in -> RTP -> other session -> PCM out at the tone\'s frequency and level', async () => {
    const a = track(await engine.createSession({ id: 'a' }));
    const b = track(await engine.createSession({ id: 'b' }));
    await a.configure(neg(b.localPort));
    await b.configure(neg(a.localPort));

    // A's side is fed one frame for every frame B's worker puts out (one per tick, sound or silence), so
    // the workers' own clocks pace it as a phone's audio connection would, with no timer in the test:
    // 10 frames of silence, then a 1 kHz tone until B has put out 50 frames of it. (On a loaded machine
    // frames reach this thread in bursts, and A's worker drops what queued up, so the count of frames
    // pushed says little; what came out is what counts.)
    const out: Int16Array[] = [];
    let pushed = 0;
    let heard = 0;
    b.on('pcm', (f) => {
      out.push(f);
      if (voiced(f)) heard++;
      if (heard < TONE_FRAMES) a.pushPcm(frame(pushed++ >= 10));
    });
    await waitFor('the tone out of B', () => heard >= TONE_FRAMES, 30_000, 5);
    const firstVoiced = out.findIndex(voiced);
    // Silence went in first, and came out first.
    expect(firstVoiced).toBeGreaterThan(10);
    expect(out.slice(0, 10).some(voiced)).toBe(false);

    // Measured on the frames that carry the tone fully (G.722 is lossy, so no sample comparison).
    const tone = concatTail(out.filter(voiced), 20);
    expect(tone.length).toBe(20 * 320);
    expect(Math.abs(dominantFrequency(tone, 16000, 300, 3000, 5) - 1000)).toBeLessThan(10);
    expect(toneDbfs(tone, 1000, 16000)).toBeCloseTo(TONE_DBFS, 0);

    await engine.pullStats();
    expect(a.stats?.packetsSent).toBeGreaterThan(TONE_FRAMES);
    expect(b.stats?.packetsReceived).toBeGreaterThan(TONE_FRAMES);
    expect(await a.describe()).toMatch(/G722\/9/);
    expect(await a.sendDtmf('1')).toBe(true);
  });

  it('spreads sessions over workers and reports errors with the reason', async () => {
    const s1 = track(await engine.createSession());
    track(await engine.createSession());
    const stats = await engine.pullStats();
    expect(stats.map((w) => w.sessions.length)).toEqual([1, 1]);
    await expect(engine.createSession({ id: s1.id })).rejects.toThrow(/already exists/);
  });
});

const TONE_FRAMES = 50;
const TONE_AMPLITUDE = 8000;
const TONE_DBFS = 20 * Math.log10(TONE_AMPLITUDE / 32767);

/** One 20 ms frame: silence, or 20 whole periods of 1 kHz. */
function frame(tone: boolean): Int16Array {
  const f = new Int16Array(320);
  if (tone) for (let n = 0; n < 320; n++) f[n] = Math.round(TONE_AMPLITUDE * Math.sin((2 * Math.PI * 1000 * n) / 16000));
  return f;
}

const voiced = (f: Int16Array): boolean => toneDbfs(f, 1000, 16000) > -30;

/** `n` frames that carry the tone fully: the burst's first and last frames are partly silent. */
function concatTail(frames: Int16Array[], n: number): Int16Array {
  const tail = frames.filter((f) => toneDbfs(f, 1000, 16000) > -22).slice(1, -1).slice(-n);
  const out = new Int16Array(tail.length * 320);
  tail.forEach((f, i) => out.set(f, i * 320));
  return out;
}
