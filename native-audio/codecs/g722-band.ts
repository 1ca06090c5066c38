/**
 * One G.722 sub-band's adaptive state, shared by encoder and decoder (and by both sub-bands): the
 * pole-zero predictor of block 4 and the quantiser scale factor adaptation of block 3.
 *
 * Encoder and decoder run identical copies of this state from identical quantised values; that is
 * why bit-exactness matters: one differing LSB here and the two ends drift apart for good.
 */
import { BZ_LEAK, ILB, NB_LEAK } from './g722-tables';

/** Limits a value to the 16-bit range, as the spec's arithmetic does after each addition. */
export function sat16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

export class G722Band {
  /** Predicted signal (SL/SH) for the next sample, and its zero-section part (SZL/SZH). */
  s = 0;
  sz = 0;
  /** Log scale factor (NBL/NBH) and the quantiser scale factor (DETL/DETH) derived from it. */
  nb = 0;
  det: number;
  /** Pole section: reconstructed signals r1, r2 and coefficients a1, a2 (a0/r0 are the current sample). */
  private r1 = 0;
  private r2 = 0;
  private a1 = 0;
  private a2 = 0;
  /** Partially reconstructed signals p1, p2 (PLT/PH). */
  private p1 = 0;
  private p2 = 0;
  /**
   * Zero section: quantised differences d1..d6 and coefficients b1..b6. Plain fields rather than
   * arrays: V8 keeps them as unboxed in-object fields, and this block runs 16000 times a second per direction.
   */
  private d1 = 0;
  private d2 = 0;
  private d3 = 0;
  private d4 = 0;
  private d5 = 0;
  private d6 = 0;
  private b1 = 0;
  private b2 = 0;
  private b3 = 0;
  private b4 = 0;
  private b5 = 0;
  private b6 = 0;

  constructor(
    initialDet: number,
    private readonly nbMax: number,
    private readonly scaleBias: number,
    private readonly wTable: Int32Array,
  ) {
    this.det = initialDet;
  }

  /** LOGSCL/LOGSCH then SCALEL/SCALEH: adapt the scale factor to the multiplier index just coded. */
  adaptScale(wIndex: number): void {
    let nb = ((this.nb * NB_LEAK) >> 15) + this.wTable[wIndex]!;
    nb = nb < 0 ? 0 : nb > this.nbMax ? this.nbMax : nb;
    this.nb = nb;
    const shift = this.scaleBias - (nb >> 11);
    const mantissa = ILB[(nb >> 6) & 31]!;
    this.det = (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
  }

  /** Block 4: update the predictor with the quantised difference `dq` and compute the next prediction. */
  predict(dq: number): void {
    const r0 = sat16(this.s + dq);
    const p0 = sat16(this.sz + dq);

    // UPPOL2 then UPPOL1: sign agreement of p drives the pole coefficients, with a stability limit.
    const sg0 = p0 >> 15;
    const sg1 = this.p1 >> 15;
    const sg2 = this.p2 >> 15;
    const a1x4 = sat16(this.a1 * 4);
    let wd = sg0 === sg1 ? -a1x4 : a1x4;
    if (wd > 32767) wd = 32767;
    let a2 = (wd >> 7) + (sg0 === sg2 ? 128 : -128) + ((this.a2 * NB_LEAK) >> 15);
    a2 = a2 > 12288 ? 12288 : a2 < -12288 ? -12288 : a2;
    let a1 = sat16((sg0 === sg1 ? 192 : -192) + ((this.a1 * BZ_LEAK) >> 15));
    const a1Limit = sat16(15360 - a2);
    a1 = a1 > a1Limit ? a1Limit : a1 < -a1Limit ? -a1Limit : a1;

    // UPZERO: the sign agreement of d with each past d drives the zero coefficients (with leakage).
    const up = dq === 0 ? 0 : 128;
    const sgd = dq >> 15;
    const b1 = sat16((this.d1 >> 15 === sgd ? up : -up) + ((this.b1 * BZ_LEAK) >> 15));
    const b2 = sat16((this.d2 >> 15 === sgd ? up : -up) + ((this.b2 * BZ_LEAK) >> 15));
    const b3 = sat16((this.d3 >> 15 === sgd ? up : -up) + ((this.b3 * BZ_LEAK) >> 15));
    const b4 = sat16((this.d4 >> 15 === sgd ? up : -up) + ((this.b4 * BZ_LEAK) >> 15));
    const b5 = sat16((this.d5 >> 15 === sgd ? up : -up) + ((this.b5 * BZ_LEAK) >> 15));
    const b6 = sat16((this.d6 >> 15 === sgd ? up : -up) + ((this.b6 * BZ_LEAK) >> 15));
    this.b1 = b1;
    this.b2 = b2;
    this.b3 = b3;
    this.b4 = b4;
    this.b5 = b5;
    this.b6 = b6;
    // DELAYA.
    this.d6 = this.d5;
    this.d5 = this.d4;
    this.d4 = this.d3;
    this.d3 = this.d2;
    this.d2 = this.d1;
    this.d1 = dq;
    this.r2 = this.r1;
    this.r1 = r0;
    this.p2 = this.p1;
    this.p1 = p0;
    this.a1 = a1;
    this.a2 = a2;

    // FILTEP, FILTEZ, PREDIC.
    const sp = sat16(((this.a1 * sat16(this.r1 * 2)) >> 15) + ((this.a2 * sat16(this.r2 * 2)) >> 15));
    const sz =
      ((b1 * sat16(this.d1 * 2)) >> 15) +
      ((b2 * sat16(this.d2 * 2)) >> 15) +
      ((b3 * sat16(this.d3 * 2)) >> 15) +
      ((b4 * sat16(this.d4 * 2)) >> 15) +
      ((b5 * sat16(this.d5 * 2)) >> 15) +
      ((b6 * sat16(this.d6 * 2)) >> 15);
    this.sz = sat16(sz);
    this.s = sat16(sp + this.sz);
  }
}
