import { describe, expect, it } from 'vitest';
import { parseRtp, parseRtpOrThrow, serializeRtp, RtpPacketError } from './rtp-packet';

describe('RTP packet', () => {
  it('round-trips every header field, CSRCs, an extension and padding', () => {
    const payload = Uint8Array.from([1, 2, 3, 4, 5]);
    const wire = serializeRtp({
      marker: true,
      payloadType: 9,
      sequenceNumber: 0x1_0005, // masked to 16 bits
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      csrcs: [1, 0xffffffff],
      extension: { profile: 0xbede, data: Uint8Array.from([0x10, 0xaa, 0, 0]) },
      payload,
      padTo: 4,
    });
    expect(wire.length % 4).toBe(0);
    const p = parseRtpOrThrow(wire);
    expect(p).toMatchObject({ marker: true, payloadType: 9, sequenceNumber: 5, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, csrcs: [1, 0xffffffff] });
    expect(p.extension?.profile).toBe(0xbede);
    expect([...p.extension!.data]).toEqual([0x10, 0xaa, 0, 0]);
    expect([...p.payload]).toEqual([...payload]);
    expect(p.paddingBytes).toBe(wire.length - 12 - 8 - 8 - 5);
  });

  it('serializes the fixed header byte for byte', () => {
    const wire = serializeRtp({ payloadType: 0, sequenceNumber: 0x1234, timestamp: 0x01020304, ssrc: 0x0a0b0c0d, payload: new Uint8Array([0xff]) });
    expect([...wire]).toEqual([0x80, 0x00, 0x12, 0x34, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d, 0xff]);
  });

  const good = serializeRtp({ payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: new Uint8Array(4) });
  const cases: Array<[string, Uint8Array, string]> = [
    ['too-short', good.subarray(0, 11), 'shorter than the 12-byte'],
    ['bad-version', Uint8Array.from([0x40, ...good.subarray(1)]), 'version 1'],
    ['csrc-overflow', Uint8Array.from([0x83, ...good.subarray(1)]), '3 CSRCs'],
    ['extension-overflow', Uint8Array.from([0x90, ...good.subarray(1, 12), 0xbe, 0xde, 0, 9]), 'runs past'],
    ['bad-padding', Uint8Array.from([0xa0, ...good.subarray(1, 15), 0]), 'padding count 0'],
    ['bad-padding', Uint8Array.from([0xa0, ...good.subarray(1, 15), 200]), 'padding count 200'],
    ['rtcp', Uint8Array.from([0x80, 200, ...good.subarray(2)]), 'RTCP'],
  ];
  it.each(cases)('rejects a malformed packet: %s', (reason, bytes, words) => {
    const r = parseRtp(bytes);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.message).toContain(words);
    expect(() => parseRtpOrThrow(bytes)).toThrow(RtpPacketError);
  });

  it('refuses to serialize values the wire cannot carry', () => {
    expect(() => serializeRtp({ payloadType: 128, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: new Uint8Array() })).toThrow(/outside 0-127/);
    expect(() => serializeRtp({ payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: new Uint8Array(), csrcs: new Array(16).fill(0) })).toThrow(/at most 15/);
  });
});
