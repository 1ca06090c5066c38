import { describe, expect, it } from 'vitest';
import { buildCompound, ntpMiddle32, ntpNow, parseCompound, roundTripMs, rtcpIntervalMs, type ReportBlock } from './rtcp';

const block: ReportBlock = { ssrc: 0xabc, fractionLost: 12, cumulativeLost: -3, extendedHighestSeq: 70_000, jitter: 33, lastSr: 0x12345678, delaySinceLastSr: 65536 };

describe('RTCP', () => {
  it('round-trips an SR + SDES CNAME + BYE compound', () => {
    const sender = { ntp: ntpNow(1_700_000_000_500), rtpTimestamp: 160_000, packetCount: 1000, octetCount: 160_000 };
    const wire = buildCompound({ ssrc: 0x1111, cname: 'line1@station', sender, reports: [block], bye: true });
    expect(wire.length % 4).toBe(0);
    expect(wire[1]).toBe(200);
    const parsed = parseCompound(wire);
    expect(parsed).toEqual([
      { type: 'sr', ssrc: 0x1111, sender, reports: [block] },
      { type: 'sdes', chunks: [{ ssrc: 0x1111, cname: 'line1@station' }] },
      { type: 'bye', ssrcs: [0x1111] },
    ]);
  });

  it('builds an RR when we have not sent', () => {
    const parsed = parseCompound(buildCompound({ ssrc: 7, cname: 'x', reports: [] }));
    expect(parsed[0]).toEqual({ type: 'rr', ssrc: 7, reports: [] });
  });

  it('rejects truncated packets with a reason', () => {
    const wire = buildCompound({ ssrc: 7, cname: 'abc', reports: [block] });
    expect(() => parseCompound(wire.subarray(0, 20))).toThrow(/claims 32 bytes/);
    expect(() => parseCompound(Uint8Array.of(0x40, 201, 0, 1))).toThrow(/version 1/);
  });

  it('computes the round-trip time from LSR/DLSR and randomizes the interval around 5 s', () => {
    const now = 1_700_000_000_000;
    const lsr = ntpMiddle32(ntpNow(now - 300)); // our SR left 300 ms ago
    const rtt = roundTripMs({ ...block, lastSr: lsr, delaySinceLastSr: 65536 / 10 }, now); // held 100 ms
    expect(rtt).toBeGreaterThan(195);
    expect(rtt).toBeLessThan(205);
    expect(rtcpIntervalMs(5000, () => 0)).toBe(2500);
    expect(rtcpIntervalMs(5000, () => 0.999)).toBeLessThan(7500);
  });
});
