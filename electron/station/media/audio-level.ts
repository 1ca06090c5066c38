/**
 * A smoothed signal level in dBFS for the live stats (0 dBFS = a full-scale sine, as in native-audio's
 * tone generator), so an operator sees "-20 dBFS" for a normal talker and "-inf"-like -120 for silence.
 */

const FLOOR_DBFS = -120;

export class AudioLevel {
  private power = 0;

  /** `smoothing` is the weight of the newest frame (0.2 at 20 ms frames is about 100 ms of memory). */
  constructor(private readonly smoothing = 0.2) {}

  update(frame: Int16Array): void {
    let sum = 0;
    for (let i = 0; i < frame.length; i++) sum += frame[i]! * frame[i]!;
    const meanSquare = frame.length ? sum / frame.length : 0;
    this.power += (meanSquare - this.power) * this.smoothing;
  }

  get dbfs(): number {
    // A full-scale sine has RMS 32767/sqrt(2): scale so that it reads 0 dBFS.
    const ratio = (this.power * 2) / (32767 * 32767);
    return ratio > 0 ? Math.max(FLOOR_DBFS, 10 * Math.log10(ratio)) : FLOOR_DBFS;
  }
}
