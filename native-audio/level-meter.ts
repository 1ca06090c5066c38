/**
 * Per-frame RMS and peak levels in dBFS, for line level displays and for tests that check audio
 * arrived at the right loudness. 0 dBFS is a full-scale sine for RMS (AES17) and a full-scale sample
 * for peak, so a full-scale sine reads 0 / 0.
 */

/** Reported for digital silence, where the true level is minus infinity (kept finite for JSON and UIs). */
export const SILENCE_DBFS = -120;

export interface FrameLevel {
  rmsDbfs: number;
  peakDbfs: number;
}

function toDbfs(ratio: number): number {
  return ratio > 0 ? Math.max(SILENCE_DBFS, 20 * Math.log10(ratio)) : SILENCE_DBFS;
}

export function measureFrame(pcm: Int16Array): FrameLevel {
  let sum = 0;
  let peak = 0;
  for (let i = 0; i < pcm.length; i++) {
    const s = pcm[i]!;
    sum += s * s;
    const a = s < 0 ? -s : s;
    if (a > peak) peak = a;
  }
  const rms = pcm.length > 0 ? Math.sqrt(sum / pcm.length) : 0;
  return { rmsDbfs: toDbfs((rms * Math.SQRT2) / 32767), peakDbfs: toDbfs(peak / 32767) };
}

/** Measures each frame and keeps the loudest values seen, for a level display's peak hold. */
export class LevelMeter {
  frames = 0;
  maxRmsDbfs = SILENCE_DBFS;
  maxPeakDbfs = SILENCE_DBFS;

  push(pcm: Int16Array): FrameLevel {
    const level = measureFrame(pcm);
    this.frames++;
    if (level.rmsDbfs > this.maxRmsDbfs) this.maxRmsDbfs = level.rmsDbfs;
    if (level.peakDbfs > this.maxPeakDbfs) this.maxPeakDbfs = level.peakDbfs;
    return level;
  }
}
