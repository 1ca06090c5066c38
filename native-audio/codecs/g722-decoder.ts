/**
 * G.722 decoder (ITU-T G.722 section 6.2): ADPCM decoding of both sub-bands, then the receive QMF
 * producing two 16 kHz samples per code byte. Bit-exact with spandsp's g722_decode (options 0);
 * g722.test.ts compares every sample.
 */
import { G722Band } from './g722-band';
import { bitsPerCode, type G722BitRate } from './g722-encoder';
import { NBH_MAX, NBL_MAX, QM2, QM4, QM5, QM6, RH2, RL42, SCALEH_BIAS, SCALEL_BIAS, WH, WL } from './g722-tables';

/** Reconstructed sub-band signals are limited to 15 bits (LIMIT block) before the QMF. */
function limit15(x: number): number {
  return x > 16383 ? 16383 : x < -16384 ? -16384 : x;
}

/** Past sub-band sums and differences the receive QMF looks back on besides the current one (12 taps). */
const QMF_HISTORY = 11;

export class G722Decoder {
  private readonly low = new G722Band(32, NBL_MAX, SCALEL_BIAS, WL);
  private readonly high = new G722Band(8, NBH_MAX, SCALEH_BIAS, WH);
  /** Receive QMF inputs rl - rh (xd) and rl + rh (xs): history then this call's values, oldest first. */
  private xd: Int32Array = new Int32Array(QMF_HISTORY + 160);
  private xs: Int32Array = new Int32Array(QMF_HISTORY + 160);
  private readonly lowBits: number;
  private readonly lowMask: number;
  /** Output levels for the low-band code at this rate; and the shift from it to the 4-bit code. */
  private readonly qmLow: Int32Array;
  private readonly toRil: number;

  constructor(rate: G722BitRate = 64000) {
    this.lowBits = bitsPerCode(rate) - 2;
    this.lowMask = (1 << this.lowBits) - 1;
    this.qmLow = rate === 64000 ? QM6 : rate === 56000 ? QM5 : QM4;
    this.toRil = this.lowBits - 4;
  }

  decode(codes: Uint8Array): Int16Array {
    if (this.xd.length < QMF_HISTORY + codes.length) {
      this.xd = grow(this.xd, QMF_HISTORY + codes.length);
      this.xs = grow(this.xs, QMF_HISTORY + codes.length);
    }
    const xd = this.xd;
    const xs = this.xs;
    const out = new Int16Array(codes.length * 2);
    for (let i = 0; i < codes.length; i++) {
      this.decodeCode(codes[i]!, QMF_HISTORY + i);
      // Receive QMF over the 12 newest values: the difference signal makes the first output sample,
      // the sum the second. Unrolled with the constants of QMF_H (even, then odd coefficients).
      const d = i;
      const first =
        3 * xd[d + 11]! - 11 * xd[d + 10]! + 12 * xd[d + 9]! + 32 * xd[d + 8]! - 210 * xd[d + 7]! + 951 * xd[d + 6]! +
        3876 * xd[d + 5]! - 805 * xd[d + 4]! + 362 * xd[d + 3]! - 156 * xd[d + 2]! + 53 * xd[d + 1]! - 11 * xd[d]!;
      const second =
        -11 * xs[d + 11]! + 53 * xs[d + 10]! - 156 * xs[d + 9]! + 362 * xs[d + 8]! - 805 * xs[d + 7]! + 3876 * xs[d + 6]! +
        951 * xs[d + 5]! - 210 * xs[d + 4]! + 32 * xs[d + 3]! + 12 * xs[d + 2]! - 11 * xs[d + 1]! + 3 * xs[d]!;
      // Stored without saturation: spandsp wraps an overflowing sample into 16 bits (a loud click on
      // overload instead of clipping), and bit-exactness with it is the contract. Only near-full-scale
      // input or codes no encoder produces from real audio get here.
      out[2 * i] = first >> 11;
      out[2 * i + 1] = second >> 11;
    }
    xd.copyWithin(0, codes.length, codes.length + QMF_HISTORY);
    xs.copyWithin(0, codes.length, codes.length + QMF_HISTORY);
    return out;
  }

  /** Decodes both sub-bands of one code into the QMF inputs at `at`. */
  private decodeCode(code: number, at: number): void {
    // Lower band: the output uses every received bit; the predictor only the top four, as the encoder's.
    const low = this.low;
    const ilr = code & this.lowMask;
    const rl = limit15(low.s + ((low.det * this.qmLow[ilr]!) >> 15));
    const ril = ilr >> this.toRil;
    const dl = (low.det * QM4[ril]!) >> 15;
    low.adaptScale(RL42[ril]!);
    low.predict(dl);

    const high = this.high;
    const ih = (code >> this.lowBits) & 3;
    const dh = (high.det * QM2[ih]!) >> 15;
    const rh = limit15(high.s + dh);
    high.adaptScale(RH2[ih]!);
    high.predict(dh);

    this.xd[at] = rl - rh;
    this.xs[at] = rl + rh;
  }
}

function grow(from: Int32Array, length: number): Int32Array {
  const grown = new Int32Array(length);
  grown.set(from.subarray(0, QMF_HISTORY));
  return grown;
}
