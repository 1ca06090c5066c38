/**
 * Constants of ITU-T G.722 (Blue Book, 1988), section 6 ("computational details"), in the spec's
 * fixed-point scaling. Names follow the spec's tables so each can be checked against it.
 *
 * Code layout at 64 kbit/s: bits 7-6 are the higher sub-band code IH, bits 5-0 the lower sub-band
 * code IL. At 56 and 48 kbit/s the decoder ignores the one or two least significant IL bits (they may
 * carry auxiliary data).
 */

/**
 * Transmit and receive QMF coefficients h0..h23, scaled by 2^13 (the spec lists h0..h11; the filter
 * is symmetric, hk = h(23-k)).
 */
const QMF_HALF = [3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876];
export const QMF_H = Int32Array.from({ length: 24 }, (_, k) => QMF_HALF[k < 12 ? k : 23 - k]!);

/**
 * Lower sub-band quantiser decision levels Q6(mil), mil = 0..29, for |EL| against DETL:
 * level = (Q6(mil) << 3) * DETL >> 15.
 */
export const Q6 = Int32Array.of(
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650,
  714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
);

/** Lower sub-band 6-bit codes for negative (ILN) and positive (ILP) EL, indexed by interval mil 1..30. */
export const ILN = Int32Array.of(
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
  18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0,
);
export const ILP = Int32Array.of(
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
  46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0,
);

/** Lower sub-band inverse quantiser outputs for 6-bit (64 kbit/s), 5-bit (56) and 4-bit (48) codes. */
export const QM6 = Int32Array.of(
  -136, -136, -136, -136, -24808, -21904, -19008, -16704,
  -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
  -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
  -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
  24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
  10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
  4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
  1688, 1360, 1040, 728, 432, 136, -432, -136,
);
export const QM5 = Int32Array.of(
  -280, -280, -23352, -17560, -14120, -11664, -9752, -8184,
  -6864, -5712, -4696, -3784, -2960, -2208, -1520, -880,
  23352, 17560, 14120, 11664, 9752, 8184, 6864, 5712,
  4696, 3784, 2960, 2208, 1520, 880, 280, -280,
);
/** Also the quantiser the predictor always uses, whatever the mode, so encoder and decoder agree. */
export const QM4 = Int32Array.of(
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
  20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
);

/** Lower sub-band log scale factor multipliers WL, indexed through RIL4 -> IL4 (table RL42). */
export const WL = Int32Array.of(-60, -30, 58, 172, 334, 538, 1198, 3042);
export const RL42 = Int32Array.of(0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0);

/** Inverse log table ILB: 2048 * 2^(i/32), i = 0..31 (the fraction part of the scale factor). */
export const ILB = Int32Array.of(
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
  2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
);

/** Higher sub-band: decision level Q2 (as 564 << 3 against DETH), codes IHN/IHP by interval 1..2. */
export const Q2 = 564;
export const IHN = Int32Array.of(0, 1, 0);
export const IHP = Int32Array.of(0, 3, 2);
/** Higher sub-band inverse quantiser outputs and log scale factor multipliers (through RH2). */
export const QM2 = Int32Array.of(-7408, -1616, 7408, 1616);
export const WH = Int32Array.of(0, -214, 798);
export const RH2 = Int32Array.of(2, 1, 2, 1);

/** LOGSCL/LOGSCH upper limits of the log scale factors NBL and NBH. */
export const NBL_MAX = 18432;
export const NBH_MAX = 22528;
/** SCALEL/SCALEH shift bias: the lower band's DETL spans 32..32064, the higher band's DETH 8..32064. */
export const SCALEL_BIAS = 8;
export const SCALEH_BIAS = 10;
/** Leakage factors of the log scale factor (LOGSCL/LOGSCH) and of the zero section (UPZERO). */
export const NB_LEAK = 32512;
export const BZ_LEAK = 32640;
