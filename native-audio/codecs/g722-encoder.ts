/**
 * G.722 encoder (ITU-T G.722 section 6.1): transmit QMF splitting 16 kHz PCM into two 8 kHz
 * sub-bands, then ADPCM on each, one code byte per pair of input samples. Bit-exact with spandsp's
 * g722_encode (options 0); g722.test.ts compares every code.
 *
 * At 56 and 48 kbit/s the encoder is the 64 kbit/s encoder with the low one or two bits dropped (the
 * spec's design: the decoder can always use fewer bits), and codes are right-aligned in their byte as
 * spandsp emits them unpacked.
 */
import { G722Band, sat16 } from './g722-band';
import { ILN, ILP, IHN, IHP, NBH_MAX, NBL_MAX, Q2, Q6, QM2, QM4, RH2, RL42, SCALEH_BIAS, SCALEL_BIAS, WH, WL } from './g722-tables';

export type G722BitRate = 64000 | 56000 | 48000;

export function bitsPerCode(rate: G722BitRate): 8 | 7 | 6 {
  return rate === 64000 ? 8 : rate === 56000 ? 7 : 6;
}

/** Input samples the transmit QMF looks back on besides the current pair (24 taps). */
const QMF_HISTORY = 22;

export class G722Encoder {
  private readonly low = new G722Band(32, NBL_MAX, SCALEL_BIAS, WL);
  private readonly high = new G722Band(8, NBH_MAX, SCALEH_BIAS, WH);
  /**
   * QMF history followed by this call's input, so each pair's 24-sample window is contiguous without
   * shifting a delay line per pair; grows to the largest frame seen.
   */
  private work = new Int32Array(QMF_HISTORY + 1 + 320);
  /** An odd sample left over from the previous call (in work[QMF_HISTORY]), so frames may have any length. */
  private pending = 0;
  private readonly dropBits: number;

  constructor(rate: G722BitRate = 64000) {
    this.dropBits = 8 - bitsPerCode(rate);
  }

  encode(pcm: Int16Array): Uint8Array {
    const available = this.pending + pcm.length;
    if (this.work.length < QMF_HISTORY + available) {
      const grown = new Int32Array(QMF_HISTORY + available);
      grown.set(this.work.subarray(0, QMF_HISTORY + this.pending));
      this.work = grown;
    }
    const w = this.work;
    w.set(pcm, QMF_HISTORY + this.pending);
    const pairs = available >> 1;
    const out = new Uint8Array(pairs);
    for (let j = 0; j < pairs; j++) {
      // Transmit QMF over w[b .. b+23] (oldest first): even coefficients on the newer sample's phase,
      // odd ones on the older's. Unrolled with the constants of QMF_H: the hottest loop of the codec.
      const b = 2 * j;
      const sumEven =
        3 * w[b + 23]! - 11 * w[b + 21]! + 12 * w[b + 19]! + 32 * w[b + 17]! - 210 * w[b + 15]! + 951 * w[b + 13]! +
        3876 * w[b + 11]! - 805 * w[b + 9]! + 362 * w[b + 7]! - 156 * w[b + 5]! + 53 * w[b + 3]! - 11 * w[b + 1]!;
      const sumOdd =
        -11 * w[b + 22]! + 53 * w[b + 20]! - 156 * w[b + 18]! + 362 * w[b + 16]! - 805 * w[b + 14]! + 3876 * w[b + 12]! +
        951 * w[b + 10]! - 210 * w[b + 8]! + 32 * w[b + 6]! + 12 * w[b + 4]! - 11 * w[b + 2]! + 3 * w[b]!;
      const il = this.encodeLow((sumEven + sumOdd) >> 14);
      const ih = this.encodeHigh((sumEven - sumOdd) >> 14);
      out[j] = ((ih << 6) | il) >> this.dropBits;
    }
    const consumed = 2 * pairs;
    this.pending = available - consumed;
    w.copyWithin(0, consumed, consumed + QMF_HISTORY + this.pending);
    return out;
  }

  /** Blocks 1L-4L: 6-bit quantiser, then local decoding with the 4-bit inverse quantiser. */
  private encodeLow(xLow: number): number {
    const band = this.low;
    const el = sat16(xLow - band.s);
    // Ones' complement magnitude, as the spec's QUANTL: -1 and 0 fall in the same interval.
    const wd = el >= 0 ? el : -(el + 1);
    // The first interval mil (1..30) whose upper decision level exceeds wd. The levels rise with mil,
    // so a binary search finds the same interval as the spec's linear scan.
    const det = band.det;
    let lo = 1;
    let hi = 30;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (wd < (Q6[mid]! * det) >> 12) hi = mid;
      else lo = mid + 1;
    }
    const il = el < 0 ? ILN[lo]! : ILP[lo]!;
    const ril = il >> 2;
    const dq = (det * QM4[ril]!) >> 15;
    band.adaptScale(RL42[ril]!);
    band.predict(dq);
    return il;
  }

  /** Blocks 1H-4H: 2-bit quantiser with a single decision level. */
  private encodeHigh(xHigh: number): number {
    const band = this.high;
    const eh = sat16(xHigh - band.s);
    const wd = eh >= 0 ? eh : -(eh + 1);
    const mih = wd >= (Q2 * band.det) >> 12 ? 2 : 1;
    const ih = eh < 0 ? IHN[mih]! : IHP[mih]!;
    const dq = (band.det * QM2[ih]!) >> 15;
    band.adaptScale(RH2[ih]!);
    band.predict(dq);
    return ih;
  }
}
