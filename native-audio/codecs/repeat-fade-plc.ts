/**
 * Packet loss concealment shared by the codecs: replay the last good frame with a falling gain.
 *
 * Deliberately simple (not G.711 Appendix I's pitch-synchronous PLC): lost frames replay the last
 * decoded frame while the gain falls linearly from 1 to 0 across three frames (60 ms at 20 ms
 * ptime), then the output is silence. The ramp runs sample by sample so the fade does not click. The
 * next good frame resets it. Repeating a whole frame buzzes a little on voiced speech; for the odd
 * lost packet that is far less noticeable than a hole.
 */

/** Frames of loss until silence: 3 x 20 ms, long enough to bridge a jitter spike, short enough not to drone. */
const FADE_FRAMES = 3;

export class RepeatFadePlc {
  private last: Int16Array = new Int16Array(0);
  private lostFrames = 0;

  /** Records a successfully decoded frame (kept by reference; decoders hand out fresh arrays). */
  good(frame: Int16Array): void {
    this.last = frame;
    this.lostFrames = 0;
  }

  conceal(samples: number): Int16Array {
    const out = new Int16Array(samples);
    const last = this.last;
    if (last.length === 0 || this.lostFrames >= FADE_FRAMES) {
      this.lostFrames++;
      return out;
    }
    const from = 1 - this.lostFrames / FADE_FRAMES;
    const to = 1 - (this.lostFrames + 1) / FADE_FRAMES;
    for (let i = 0; i < samples; i++) {
      const gain = from + ((to - from) * i) / samples;
      out[i] = Math.round(last[i % last.length]! * gain);
    }
    this.lostFrames++;
    return out;
  }
}
