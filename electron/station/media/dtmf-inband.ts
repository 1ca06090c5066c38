/**
 * In-band DTMF: digits a PBX sends as tones in the audio instead of RFC 4733 events, found by
 * native-audio's Goertzel detector on the decoded stream (at the codec's rate, before resampling) and
 * reported as the same {@link DtmfDigit} as an RFC 4733 event: once per key press, when the tone ends.
 *
 * Many PBXs that negotiate telephone-event also leave the tones in the audio, so one key press arrives
 * twice. RFC 4733 wins when telephone-event was negotiated:
 * - once an RFC 4733 digit has arrived the peer evidently uses it, and in-band detection stops;
 * - the event usually comes first (it is not delayed by the jitter buffer nor by the detector's 40 ms);
 *   when the tone is recognised first, its digit is held for `graceMs` and dropped if an RFC 4733 event
 *   for the same digit arrives meanwhile.
 * Without telephone-event a tone digit is reported as soon as the tone ends.
 */
import { DtmfDetector } from '../../../native-audio/dtmf-detector';
import { measureFrame } from '../../../native-audio/level-meter';
import type { DtmfDigit } from './dtmf-rfc4733';

/** A full-scale G.711 sine is +3.17 dBm0 (G.711 Table 5), the reference of RFC 4733's volume field. */
const DBM0_AT_FULL_SCALE = 3.17;

export interface InbandDtmfOptions {
  sampleRate: 8000 | 16000;
  /** True when the peer negotiated telephone-event: RFC 4733 digits are then preferred. */
  preferRfc4733: boolean;
  graceMs?: number;
  onDigit: (digit: DtmfDigit) => void;
}

export class InbandDtmf {
  private readonly detector: DtmfDetector;
  private tone: { digit: string; timestamp: number; startMs: number; peakDbfs: number } | null = null;
  private held: Array<{ digit: DtmfDigit; untilMs: number }> = [];
  private rfc4733Seen = false;
  private readonly graceMs: number;

  constructor(private readonly opts: InbandDtmfOptions) {
    this.detector = new DtmfDetector(opts.sampleRate);
    this.graceMs = opts.graceMs ?? 300;
  }

  /** True while tones are still listened for (no RFC 4733 digit has taken over). */
  get active(): boolean {
    return !(this.opts.preferRfc4733 && this.rfc4733Seen);
  }

  /** One decoded frame at the codec's rate; `timestamp` is its RTP timestamp, `nowMs` the tick time. */
  push(pcm: Int16Array, timestamp: number, nowMs: number): void {
    if (!this.active) return;
    if (this.tone) this.tone.peakDbfs = Math.max(this.tone.peakDbfs, measureFrame(pcm).rmsDbfs);
    for (const e of this.detector.push(pcm)) {
      if (e.state === 'on') {
        this.tone = { digit: e.digit, timestamp, startMs: nowMs, peakDbfs: measureFrame(pcm).rmsDbfs };
        continue;
      }
      const tone = this.tone;
      this.tone = null;
      if (!tone || tone.digit !== e.digit) continue;
      // The detector confirms on and off two blocks late alike, so on-to-off is the tone's length.
      const digit: DtmfDigit = {
        digit: tone.digit,
        durationMs: Math.round(nowMs - tone.startMs),
        // Per tone, as RFC 4733 senders report it: two equal tones each carry half the frame's power.
        volume: Math.min(63, Math.max(0, Math.round(-(tone.peakDbfs - 3 + DBM0_AT_FULL_SCALE)))),
        timestamp: tone.timestamp,
      };
      if (!this.opts.preferRfc4733) this.opts.onDigit(digit);
      else this.held.push({ digit, untilMs: nowMs + this.graceMs });
    }
    this.tick(nowMs);
  }

  /** Reports held tone digits whose grace period passed without an RFC 4733 twin. Call every tick. */
  tick(nowMs: number): void {
    while (this.held.length && nowMs >= this.held[0]!.untilMs) this.opts.onDigit(this.held.shift()!.digit);
  }

  /** An RFC 4733 digit was reported for this stream. */
  rfc4733(digit: string): void {
    this.rfc4733Seen = true;
    this.tone = null;
    const twin = this.held.findIndex((h) => h.digit.digit === digit);
    if (twin >= 0) this.held.splice(twin, 1);
  }
}
