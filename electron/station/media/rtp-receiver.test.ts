import { describe, expect, it } from 'vitest';
import type { RtpPacket } from './rtp-packet';
import { PT_COMFORT_NOISE, RtpReceiver, SourceState } from './rtp-receiver';

function pkt(seq: number, opts: Partial<RtpPacket> = {}): RtpPacket {
  const s = seq & 0xffff;
  return { marker: false, payloadType: 0, sequenceNumber: s, timestamp: (seq * 160) >>> 0, ssrc: 1, csrcs: [], extension: null, payload: new Uint8Array(160), paddingBytes: 0, ...opts };
}

/** A small seeded PRNG so shuffles are reproducible. */
function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

describe('RtpReceiver (RFC 3550 A.1)', () => {
  it('drops the first packet of a new source on probation, then accepts in-order packets', () => {
    const r = new RtpReceiver({ clockRate: 8000 });
    expect(r.push(pkt(100), 0)).toMatchObject({ accepted: false, reason: 'probation' });
    expect(r.push(pkt(101), 20)).toMatchObject({ accepted: true });
    expect(r.stats()).toMatchObject({ state: SourceState.Valid, received: 1, expected: 1, lost: 0 });
  });

  it('drops duplicates, tolerates reordering and counts real loss across a sequence wrap', () => {
    const r = new RtpReceiver({ clockRate: 8000, minSequential: 1 });
    const base = 65_500; // wraps at 65536
    const seqs: number[] = [];
    for (let i = 0; i < 200; i++) if (i % 25 !== 7) seqs.push(base + i); // 8 packets lost
    // Shuffle within a small window (network reordering), then duplicate every tenth packet.
    const rand = rng(7);
    for (let i = 0; i < seqs.length - 3; i++) {
      const j = i + Math.floor(rand() * 3);
      [seqs[i], seqs[j]] = [seqs[j]!, seqs[i]!];
    }
    const arrivals = seqs.flatMap((s, i) => (i % 10 === 0 ? [s, s] : [s]));
    const accepted = new Set<number>();
    arrivals.forEach((s, i) => {
      const v = r.push(pkt(s), i * 20);
      if (v.accepted) {
        expect(accepted.has(v.extendedSeq)).toBe(false);
        accepted.add(v.extendedSeq);
      }
    });
    const st = r.stats();
    expect(st.duplicates).toBeGreaterThanOrEqual(20);
    expect(st.reordered).toBeGreaterThan(0);
    // Packets shuffled ahead of the stream's first packet are too old, so the first accepted one may vary.
    expect(st.received).toBeGreaterThanOrEqual(190);
    expect(st.lost).toBe(8);
    expect(accepted.has(base + 199)).toBe(true); // extended seq crosses 65536 without a cycle error
  });

  it('resets on an SSRC change and validates the new source afresh', () => {
    const r = new RtpReceiver({ clockRate: 8000 });
    for (let i = 0; i < 10; i++) r.push(pkt(i), i * 20);
    const v = r.push(pkt(5000, { ssrc: 2 }), 200);
    expect(v).toMatchObject({ accepted: false, reason: 'probation', ssrcChanged: true });
    expect(r.push(pkt(5001, { ssrc: 2 }), 220)).toMatchObject({ accepted: true, ssrcChanged: false });
    expect(r.stats()).toMatchObject({ ssrc: 2, ssrcChanges: 1, received: 1, lost: 0 });
  });

  it('restarts after a sender jumps far ahead only when the new sequence continues', () => {
    const r = new RtpReceiver({ clockRate: 8000, minSequential: 1 });
    for (let i = 0; i < 5; i++) r.push(pkt(i), i * 20);
    expect(r.push(pkt(30_000), 100)).toMatchObject({ accepted: false, reason: 'bad-seq' });
    expect(r.push(pkt(30_001), 120)).toMatchObject({ accepted: true });
    expect(r.stats().lost).toBe(0);
  });

  it('counts comfort noise as received silence, never as loss', () => {
    const r = new RtpReceiver({ clockRate: 8000, minSequential: 1 });
    r.push(pkt(1), 0);
    const v = r.push(pkt(2, { payloadType: PT_COMFORT_NOISE, payload: new Uint8Array([40]) }), 20);
    expect(v).toMatchObject({ accepted: true, comfortNoise: true });
    // After CN the sender goes quiet: timestamps jump but sequence numbers continue.
    r.push(pkt(3, { timestamp: 50 * 160 }), 1000);
    expect(r.stats()).toMatchObject({ lost: 0, comfortNoise: 1, received: 3 });
  });

  it('computes A.8 jitter in milliseconds and RTCP report figures (A.3)', () => {
    const r = new RtpReceiver({ clockRate: 8000, minSequential: 1 });
    for (let i = 0; i < 500; i++) r.push(pkt(i), i * 20 + (i % 2 ? 10 : 0)); // alternating 10 ms offset
    expect(r.stats().jitterMs).toBeGreaterThan(8);
    expect(r.stats().jitterMs).toBeLessThan(11);
    const perfect = new RtpReceiver({ clockRate: 8000, minSequential: 1 });
    for (let i = 0; i < 100; i++) if (i % 4 !== 3) perfect.push(pkt(i), i * 20);
    expect(perfect.stats().jitterMs).toBeLessThan(0.01);
    const rep = perfect.takeReceptionReport()!;
    expect(rep.cumulativeLost).toBe(24);
    expect(rep.fractionLost).toBe(Math.floor((24 * 256) / 99));
    expect(rep.extendedHighestSeq).toBe(98);
  });
});
