import { describe, expect, it } from 'vitest';
import { JitterBuffer, type PlayoutFrame } from './jitter-buffer';

function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

/**
 * A virtual clock: the sender emits packet i at i*20 ms, the network delays it by `delay(i)` (or loses it
 * when that returns null), and the playout side pops every 20 ms from `tickOffsetMs`. Events run in time
 * order, so the buffer sees exactly what it would see live, minus the wall-clock wait.
 */
function simulate(jb: JitterBuffer, packets: number, delay: (i: number) => number | null, opts: { tickOffsetMs?: number; cnFrom?: number } = {}): Array<{ t: number; f: PlayoutFrame }> {
  type Ev = { t: number; kind: 'arrive'; i: number } | { t: number; kind: 'tick' };
  const events: Ev[] = [];
  for (let i = 0; i < packets; i++) {
    const d = delay(i);
    if (d !== null) events.push({ t: i * 20 + d, kind: 'arrive', i });
  }
  const end = packets * 20 + 400;
  for (let t = opts.tickOffsetMs ?? 5; t < end; t += 20) events.push({ t, kind: 'tick' });
  events.sort((a, b) => a.t - b.t || (a.kind === 'arrive' ? -1 : 1));
  const out: Array<{ t: number; f: PlayoutFrame }> = [];
  for (const ev of events) {
    if (ev.kind === 'tick') out.push({ t: ev.t, f: jb.pop() });
    else {
      const cn = opts.cnFrom !== undefined && ev.i >= opts.cnFrom;
      jb.push({ timestamp: (1000 + ev.i * 160) >>> 0, payloadType: cn ? 13 : 0, payload: Uint8Array.of(ev.i & 0xff), comfortNoise: cn });
    }
  }
  return out;
}

const kinds = (out: Array<{ f: PlayoutFrame }>): string => out.map(({ f }) => f.kind[0]).join('');

describe('JitterBuffer', () => {
  it('plays a clean stream in order with the 20 ms minimum delay and no concealment', () => {
    const jb = new JitterBuffer({ frameTicks: 160 });
    const out = simulate(jb, 100, () => 3);
    const audio = out.filter(({ f }) => f.kind === 'audio');
    expect(audio).toHaveLength(100);
    audio.forEach(({ f }, i) => expect(f.kind === 'audio' && f.payload[0]).toBe(i));
    // Between the first and the last packet every tick played audio (the tail after the stream is underrun).
    expect(kinds(out)).toMatch(/^i+a{100}m*$/);
    expect(jb.stats()).toMatchObject({ targetDelayMs: 20, late: 0 });
  });

  it('with no minimum delay plays each packet at the first tick after it arrives, and grows by one frame for a late one', () => {
    const jb = new JitterBuffer({ frameTicks: 160, minDelayFrames: 0 });
    // Packets arrive 3 ms before the ticks (tick offset 5): each waits 2 ms, none waits a whole frame.
    const out = simulate(jb, 100, (i) => (i === 60 ? 9 : 3));
    const firstAudio = out.findIndex(({ f }) => f.kind === 'audio');
    expect(out[firstAudio]!.t).toBe(5);
    const lateTick = out.find(({ f }) => f.kind === 'audio' && f.payload[0] === 59)!.t;
    expect(lateTick).toBe(59 * 20 + 5);
    // Packet 60 missed its tick (arrived at 1209 for the tick at 1205): concealed, counted late, one frame of delay added.
    expect(jb.stats()).toMatchObject({ late: 1, targetDelayMs: 20 });
    expect(out.find(({ f }) => f.kind === 'audio' && f.payload[0] === 61)!.t).toBe(62 * 20 + 5);
  });

  it('drops frames that stayed queued beyond the target for a whole drain window (a burst at call start)', () => {
    const jb = new JitterBuffer({ frameTicks: 160, minDelayFrames: 0, drainWindowFrames: 50 });
    // The first 5 packets arrive at once (the sender's backlog), then one every 20 ms.
    const out = simulate(jb, 200, (i) => (i < 5 ? 100 - i * 20 : 3));
    const audio = out.filter(({ f }) => f.kind === 'audio');
    // Playout runs 5 frames behind the sender's schedule until the first window ends, then at once.
    const delayAt = (t: number): number => {
      const f = audio.find((a) => a.t >= t)!;
      return (f.t - 5 - (f.f.kind === 'audio' ? f.f.payload[0]! : 0) * 20) / 20;
    };
    expect(delayAt(600)).toBe(5);
    expect(delayAt(2000)).toBe(0);
    expect(jb.stats()).toMatchObject({ late: 0, discarded: 5 });
  });

  it('with a phase guard plays packets that arrive just before the ticks one tick later, and keeps that frame', () => {
    const jb = new JitterBuffer({ frameTicks: 160, minDelayFrames: 0, guardMs: 4, drainWindowFrames: 10 });
    const out: PlayoutFrame[] = [];
    for (let i = 0; i < 60; i++) {
      const tick = i * 20 + 5;
      // Each packet arrives 1 ms before a tick: without the guard the slightest delay would make it late.
      jb.push({ timestamp: i * 160, payloadType: 0, payload: Uint8Array.of(i), arrivalMs: tick - 1 });
      out.push(jb.pop(tick));
    }
    expect(out[0]!.kind).toBe('idle');
    out.slice(1).forEach((f, i) => expect(f.kind === 'audio' && f.payload[0]).toBe(i));
    // The packet waiting for the next tick is margin, not excess delay: the drain leaves it.
    expect(jb.stats()).toMatchObject({ discarded: 0, late: 0 });
  });

  it('marks lost packets as missing in place, for PLC', () => {
    const jb = new JitterBuffer({ frameTicks: 160 });
    const out = simulate(jb, 50, (i) => (i === 10 || i === 11 || i === 30 ? null : 2));
    const played = out.filter(({ f }) => f.kind !== 'idle').slice(0, 50);
    expect(played.map(({ f }) => f.kind).filter((k) => k === 'missing')).toHaveLength(3);
    expect(played[10]!.f.kind).toBe('missing');
    expect(played[30]!.f.kind).toBe('missing');
    expect(played[12]!.f).toMatchObject({ kind: 'audio', timestamp: 1000 + 12 * 160 });
  });

  it('grows under jittered arrival, keeps one frame per tick in order, then shrinks slowly when calm', () => {
    const jb = new JitterBuffer({ frameTicks: 160, maxDelayFrames: 8, shrinkWindowFrames: 100 });
    const rand = rng(42);
    // 20 s with up to 70 ms of jitter, then 40 s of a calm network.
    const out = simulate(jb, 3000, (i) => (i < 5 ? 0 : i < 1000 ? Math.floor(rand() * 70) : 1));
    const jitteryLate = jb.stats().late;
    expect(jitteryLate).toBeGreaterThan(0);
    // One frame per tick: every tick yields a frame; played audio timestamps only ever increase.
    let last = -Infinity;
    for (const { f } of out) if (f.kind === 'audio') {
      expect(f.timestamp).toBeGreaterThan(last);
      last = f.timestamp;
    }
    // Late packets concentrate while the buffer adapts: far fewer in the second half of the jittery part.
    const lateFirst = (() => {
      const j = new JitterBuffer({ frameTicks: 160, maxDelayFrames: 8, shrinkWindowFrames: 100 });
      const r = rng(42);
      simulate(j, 500, (i) => (i < 5 ? 0 : Math.floor(r() * 70)));
      return j.stats().late;
    })();
    expect(jitteryLate - lateFirst).toBeLessThan(lateFirst);
    const st = jb.stats();
    expect(st.targetDelayMs).toBe(20); // back to the minimum after the calm period
    expect(st.discarded).toBeGreaterThan(0); // delay was removed by dropping frames
    expect(st.played + st.concealed).toBeGreaterThan(2900);
  });

  it('records the peak target delay while jitter lasts', () => {
    const jb = new JitterBuffer({ frameTicks: 160, maxDelayFrames: 10, shrinkWindowFrames: 250 });
    const rand = rng(3);
    simulate(jb, 400, (i) => (i < 5 ? 0 : Math.floor(rand() * 90)));
    expect(jb.stats().targetDelayMs).toBeGreaterThanOrEqual(60);
    expect(jb.stats().targetDelayMs).toBeLessThanOrEqual(200);
  });

  it('plays comfort noise as silence and does not count the quiet gap as underrun or loss', () => {
    const jb = new JitterBuffer({ frameTicks: 160 });
    // Packets 20.. are a single CN packet (then nothing): typical DTX.
    const out = simulate(jb, 21, () => 2, { cnFrom: 20 });
    expect(kinds(out)).toMatch(/^i+a{20}s+$/);
    expect(jb.stats()).toMatchObject({ underruns: 0, concealed: 0 });
  });

  it('counts overruns when nothing drains it and resyncs on a timestamp jump', () => {
    const jb = new JitterBuffer({ frameTicks: 160, capacityFrames: 50 });
    for (let i = 0; i < 60; i++) jb.push({ timestamp: i * 160, payloadType: 0, payload: new Uint8Array(1) });
    expect(jb.stats().overruns).toBe(10);
    expect(jb.pop()).toEqual({ kind: 'idle' }); // buffering for the 20 ms target
    expect(jb.pop()).toMatchObject({ kind: 'audio', timestamp: 10 * 160 });
    expect(jb.push({ timestamp: 10_000_000, payloadType: 0, payload: new Uint8Array(1) })).toBe('resync');
    expect(jb.stats()).toMatchObject({ resyncs: 1, depthFrames: 1 });
    expect(jb.describe()).toMatch(/target 20 ms/);
  });

  it('handles the 32-bit timestamp wrap', () => {
    const jb = new JitterBuffer({ frameTicks: 160 });
    for (let i = 0; i < 6; i++) jb.push({ timestamp: (0xffffff00 + i * 160) >>> 0, payloadType: 0, payload: Uint8Array.of(i) });
    const frames = Array.from({ length: 8 }, () => jb.pop()).filter((f) => f.kind === 'audio');
    expect(frames.map((f) => f.kind === 'audio' && f.payload[0])).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
