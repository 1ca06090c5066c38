/**
 * G.711 PCMU (mu-law, RTP payload type 0) and PCMA (A-law, payload type 8), 8 kHz, bit-exact with spandsp.
 *
 * mu-law comes from alawmulaw, which matches spandsp on all 65536 inputs and 256 codes. alawmulaw's
 * A-law decoder matches too, but its encoder lands one code step off on 127 negative inputs at segment
 * edges (it rounds the magnitude of negative samples differently), so A-law encoding uses our own
 * table built from the G.711 segment rule below. `g711.test.ts` checks all of it exhaustively.
 */
import * as alawmulawModule from 'alawmulaw';
import type { AudioCodec, FrameDecoder, FrameEncoder } from './codec';
import { RepeatFadePlc } from './repeat-fade-plc';

// Node (tsx, the station) loads alawmulaw's UMD build, whose exports appear only on `default`;
// Vite (vitest) loads its ES module build with named exports. Accept both.
const { alaw, mulaw } =
  'alaw' in alawmulawModule ? alawmulawModule : (alawmulawModule as unknown as { default: typeof alawmulawModule }).default;

/** G.711 inverts the even bits of every A-law code so that idle lines still carry transitions. */
const ALAW_EVEN_BIT_INVERSION = 0x55;

/**
 * A-law code for one 16-bit sample, from G.711's segmented law: the magnitude's leading one picks a
 * segment 1..7 (segment 0 is the linear part below 256), and the next four bits are the step in it.
 * Negative samples use the ones' complement (-x - 1) so that -1 and 0 share the smallest magnitude,
 * as spandsp does.
 */
export function linearToAlaw(sample: number): number {
  const positive = sample >= 0;
  const magnitude = positive ? sample : -sample - 1;
  let code: number;
  if (magnitude < 256) {
    code = magnitude >> 4;
  } else {
    const segment = 31 - Math.clz32(magnitude) - 7;
    code = (segment << 4) | ((magnitude >> (segment + 3)) & 0x0f);
  }
  return (positive ? 0x80 | code : code) ^ ALAW_EVEN_BIT_INVERSION;
}

/** Every 16-bit sample's A-law code, indexed by the sample's unsigned 16-bit pattern. */
const ALAW_ENCODE = new Uint8Array(65536);
for (let s = -32768; s < 32768; s++) ALAW_ENCODE[s & 0xffff] = linearToAlaw(s);

/** Every code's sample, for both laws: decoding is one table read. */
const ALAW_DECODE = alaw.decode(Uint8Array.from({ length: 256 }, (_, i) => i));
const MULAW_DECODE = mulaw.decode(Uint8Array.from({ length: 256 }, (_, i) => i));
const MULAW_ENCODE = new Uint8Array(65536);
MULAW_ENCODE.set(mulaw.encode(Int16Array.from({ length: 65536 }, (_, i) => (i << 16) >> 16)));

export function alawEncode(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = ALAW_ENCODE[pcm[i]! & 0xffff]!;
  return out;
}

export function alawDecode(codes: Uint8Array): Int16Array {
  const out = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = ALAW_DECODE[codes[i]!]!;
  return out;
}

export function mulawEncode(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = MULAW_ENCODE[pcm[i]! & 0xffff]!;
  return out;
}

export function mulawDecode(codes: Uint8Array): Int16Array {
  const out = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = MULAW_DECODE[codes[i]!]!;
  return out;
}

/** G.711 is stateless per sample; the decoder keeps only the last frame for concealment. */
class G711Decoder implements FrameDecoder {
  private readonly plc = new RepeatFadePlc();
  constructor(private readonly decodeCodes: (codes: Uint8Array) => Int16Array) {}

  decode(payload: Uint8Array): Int16Array {
    const pcm = this.decodeCodes(payload);
    this.plc.good(pcm);
    return pcm;
  }

  conceal(samples: number): Int16Array {
    return this.plc.conceal(samples);
  }
}

function g711Codec(name: 'PCMU' | 'PCMA', payloadType: number): AudioCodec {
  const [encode, decode] = name === 'PCMU' ? [mulawEncode, mulawDecode] : [alawEncode, alawDecode];
  return {
    name,
    payloadType,
    rtpClockRate: 8000,
    sampleRate: 8000,
    channels: 1,
    // One byte per sample: 160 bytes and 160 ticks per 20 ms.
    frameBytes: 160,
    frameTicks: 160,
    createEncoder: (): FrameEncoder => ({ encode }),
    createDecoder: (): FrameDecoder => new G711Decoder(decode),
  };
}

export const PCMU = g711Codec('PCMU', 0);
export const PCMA = g711Codec('PCMA', 8);
