/**
 * G.722 against spandsp, code for code and sample for sample, at all three rates. Our side is fed in
 * frames of varying length and spandsp in one call, so equality also proves the state carries across
 * frames (including an odd sample left over between encode calls).
 */
import { describe, expect, it } from 'vitest';
import { spandspG722Decode, spandspG722Encode, type G722Rate } from '../test/spandsp';
import { sweep, whiteNoise } from '../tone';
import { G722 } from './g722';
import { G722Decoder } from './g722-decoder';
import { G722Encoder, bitsPerCode } from './g722-encoder';
import { QMF_H } from './g722-tables';

const RATE = 16000;
const RATES: G722Rate[] = [64000, 56000, 48000];
/** Frame lengths cycled through when feeding our codec: odd, tiny, and the real 20 ms frames. */
const CHUNKS = [320, 1, 7, 160, 33, 2, 319, 640, 5];

function square(samples: number, periodSamples: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => (i % periodSamples < periodSamples / 2 ? 32767 : -32768));
}

const SIGNALS: Record<string, Int16Array> = {
  'sine sweep 50-7900 Hz, -1 dBFS': sweep(50, 7900, -1, RATE, 4 * RATE),
  'sine sweep 7900-50 Hz, -30 dBFS': sweep(7900, 50, -30, RATE, 2 * RATE),
  'white noise -50 dBFS': whiteNoise(-50, RATE, 11),
  'white noise -20 dBFS': whiteNoise(-20, RATE, 12),
  'white noise -6 dBFS': whiteNoise(-6, RATE, 13),
  'white noise 0 dBFS (clipping)': whiteNoise(0, RATE, 14),
  'full-scale square 400 Hz': square(RATE, 40),
  'full-scale square 3 kHz-ish': square(RATE, 5),
  silence: new Int16Array(RATE),
};

function inChunks<T extends Int16Array | Uint8Array>(input: T, run: (chunk: T) => ArrayLike<number>, out: number[]): void {
  let at = 0;
  for (let k = 0; at < input.length; k++) {
    const size = CHUNKS[k % CHUNKS.length]!;
    const chunk = input.subarray(at, at + size) as T;
    for (const v of Array.from(run(chunk))) out.push(v);
    at += size;
  }
}

/** Index of the first difference, or -1: a readable failure instead of a megabyte array diff. */
function firstDifference(ours: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (ours.length !== reference.length) return Math.min(ours.length, reference.length);
  for (let i = 0; i < ours.length; i++) if (ours[i] !== reference[i]) return i;
  return -1;
}

function randomCodes(count: number, bits: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 24) & ((1 << bits) - 1);
  });
}

describe.each(RATES)('G.722 at %i bit/s equals spandsp', (rate) => {
  it.each(Object.keys(SIGNALS))('encodes and decodes %s', (name) => {
    const pcm = SIGNALS[name]!;
    const refCodes = spandspG722Encode(pcm, rate);
    const codes: number[] = [];
    const encoder = new G722Encoder(rate);
    inChunks(pcm, (chunk) => encoder.encode(chunk), codes);
    expect(codes.length).toBe(pcm.length / 2);
    expect(firstDifference(codes, refCodes)).toBe(-1);

    const refPcm = spandspG722Decode(refCodes, rate);
    const samples: number[] = [];
    const decoder = new G722Decoder(rate);
    inChunks(refCodes, (chunk) => decoder.decode(chunk), samples);
    expect(firstDifference(samples, refPcm)).toBe(-1);
  });

  it('decodes a random code stream (every code value, including unused ones)', () => {
    const codes = randomCodes(3 * 8000, bitsPerCode(rate), rate);
    const samples: number[] = [];
    const decoder = new G722Decoder(rate);
    inChunks(codes, (chunk) => decoder.decode(chunk), samples);
    expect(firstDifference(samples, spandspG722Decode(codes, rate))).toBe(-1);
  });
});

describe('G.722 codec descriptor', () => {
  it('turns a 20 ms frame of 320 samples into 160 bytes and back', () => {
    const enc = G722.createEncoder();
    const dec = G722.createDecoder();
    const pcm = sweep(300, 3000, -10, RATE, 320);
    const payload = enc.encode(pcm);
    expect(payload.length).toBe(160);
    expect(dec.decode(payload).length).toBe(320);
  });

  it('reproduces a tone after the codec delay (the audio survives the round trip)', () => {
    const enc = G722.createEncoder();
    const dec = G722.createDecoder();
    const pcm = sweep(1000, 1000, -10, RATE, 3200);
    const out = dec.decode(enc.encode(pcm));
    // The QMF pair delays by 22 samples; after settling, the error is small against the signal.
    let err = 0;
    let sig = 0;
    for (let i = 1600; i < 3200; i++) {
      err += (out[i]! - pcm[i - 22]!) ** 2;
      sig += pcm[i - 22]! ** 2;
    }
    expect(10 * Math.log10(sig / err)).toBeGreaterThan(20);
  });

  it('conceals a lost frame with the faded last frame, then silence', () => {
    const dec = G722.createDecoder();
    const good = dec.decode(G722.createEncoder().encode(sweep(500, 500, -10, RATE, 320)));
    const concealed = dec.conceal(320);
    expect(concealed.length).toBe(320);
    expect(concealed[10]).toBe(good[10]);
    dec.conceal(320);
    dec.conceal(320);
    expect(dec.conceal(320).every((s) => s === 0)).toBe(true);
  });
});

describe('G.722 tables', () => {
  it('has the symmetric QMF of the spec, with unity gain at 2^13 per phase pair', () => {
    expect(QMF_H.length).toBe(24);
    for (let k = 0; k < 12; k++) expect(QMF_H[k]).toBe(QMF_H[23 - k]);
    expect(QMF_H.reduce((a, b) => a + b, 0)).toBe(8192);
  });
});
