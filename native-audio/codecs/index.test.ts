import { describe, expect, it } from 'vitest';
import { CODECS, codecByPayloadType, RTP_FRAMING } from './index';

describe('codec registry', () => {
  it('describes G.722 with its 8000 Hz RTP clock over 16 kHz audio, and G.711 at 8 kHz', () => {
    expect(CODECS.G722).toMatchObject({ name: 'G722', payloadType: 9, rtpClockRate: 8000, sampleRate: 16000, channels: 1 });
    expect(CODECS.PCMU).toMatchObject({ name: 'PCMU', payloadType: 0, rtpClockRate: 8000, sampleRate: 8000, channels: 1 });
    expect(CODECS.PCMA).toMatchObject({ name: 'PCMA', payloadType: 8, rtpClockRate: 8000, sampleRate: 8000, channels: 1 });
  });

  it('finds codecs by static payload type and nothing for others', () => {
    expect(codecByPayloadType(9)).toBe(CODECS.G722);
    expect(codecByPayloadType(0)).toBe(CODECS.PCMU);
    expect(codecByPayloadType(8)).toBe(CODECS.PCMA);
    expect(codecByPayloadType(18)).toBeUndefined();
  });

  it('frames 20 ms as 160 payload bytes and 160 RTP ticks, G.722 included (its RTP clock is 8000 Hz)', () => {
    for (const codec of Object.values(CODECS)) expect(codec).toMatchObject({ frameBytes: 160, frameTicks: 160 });
    expect(RTP_FRAMING).toEqual({ rtpClockRate: 8000, frameTicks: 160 });
  });

  it('encodes a 20 ms frame to the payload size its descriptor declares', () => {
    for (const codec of Object.values(CODECS)) {
      const samples = codec.sampleRate / 50;
      expect(codec.createEncoder().encode(new Int16Array(samples)).length).toBe(codec.frameBytes);
      expect(codec.createDecoder().decode(new Uint8Array(codec.frameBytes)).length).toBe(samples);
    }
  });
});
