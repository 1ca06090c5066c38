import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency, toneDbfs } from '../../../native-audio/pcm';
import { setLogLevel } from '../util/log';
import { MediaEngine, type MediaSessionHandle } from './media-engine';
import type { NegotiatedAudio } from './sdp';

setLogLevel('warn');

const neg = (remotePort: number): NegotiatedAudio => ({
  codec: 'G722', payloadType: 9, telephoneEventPt: 101, remoteAddress: '127.0.0.1', remotePort, remoteRtcpPort: remotePort + 1, direction: 'sendrecv', ptime: 20,
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

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

  it('carries PCM in -> RTP -> other session -> PCM out, and reports latency percentiles', async () => {
    const a = track(await engine.createSession({ id: 'a' }));
    const b = track(await engine.createSession({ id: 'b' }));
    await a.configure(neg(b.localPort));
    await b.configure(neg(a.localPort));

    // Latency by onset: after silence, a 1 kHz burst starts at a known moment; the time until B's output
    // carries it is one trip through both workers' pipelines (G.722 is lossy, so no sample markers).
    const out: Int16Array[] = [];
    b.on('pcm', (f) => out.push(f));
    const latencies: number[] = [];
    const runs = 20;
    for (let r = 0; r < runs; r++) {
      out.length = 0;
      await pace(a, 10, false); // silence
      const t0 = performance.now();
      let onset: number | null = null;
      const off = b.on('pcm', (f) => {
        if (onset === null && toneDbfs(f, 1000, 16000) > -30) onset = performance.now();
      });
      await pace(a, 15, true);
      off();
      if (onset !== null) latencies.push(onset - t0);
    }
    latencies.sort((x, y) => x - y);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`media worker round trip (PCM in -> G.722 RTP -> PCM out), ${latencies.length} bursts: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    expect(latencies.length).toBeGreaterThanOrEqual(runs - 2);
    expect(p50).toBeLessThan(300); // generous: the budget is ~60-100 ms (jitter buffer + one tick each side)

    // Measured on the frames that carry the burst: on a loaded machine the paced sender can slip and
    // leave a silent frame, which says nothing about what the pipeline did to the tone.
    const voiced = out.filter((f) => toneDbfs(f, 1000, 16000) > -30);
    expect(voiced.length).toBeGreaterThanOrEqual(6);
    const tone = concatTail(voiced, 8);
    expect(Math.abs(dominantFrequency(tone, 16000, 300, 3000, 5) - 1000)).toBeLessThan(10);

    await engine.pullStats();
    expect(a.stats?.packetsSent).toBeGreaterThan(100);
    expect(b.stats?.packetsReceived).toBeGreaterThan(100);
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

/** Pushes `frames` 20 ms frames into `s`, paced by wall time (as the agent link would). */
async function pace(s: MediaSessionHandle, frames: number, tone: boolean): Promise<void> {
  for (let i = 0; i < frames; i++) {
    const f = new Int16Array(320);
    if (tone) for (let n = 0; n < 320; n++) f[n] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * n) / 16000)); // 20 whole periods per frame
    s.pushPcm(f);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `n` frames that carry the tone fully: the burst's first and last frames are partly silent. */
function concatTail(frames: Int16Array[], n: number): Int16Array {
  const tail = frames.filter((f) => toneDbfs(f, 1000, 16000) > -22).slice(1, -1).slice(-n);
  const out = new Int16Array(tail.length * 320);
  tail.forEach((f, i) => out.set(f, i * 320));
  return out;
}
