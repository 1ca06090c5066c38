/**
 * The line echo test's signal and its measurement. The signal is short (600 ms) and has no period a
 * correlation could slip by: an up-sweep, a 1 kHz burst (the level reference) and a down-sweep, with
 * gaps. Sent as a stream of 20 ms frames between silence, its echo is found by cross-correlation
 * (native-audio pcm bestLag): the lag is the round trip, the correlation says whether the path kept
 * the audio's shape, the level whether it kept its loudness.
 */
import { measureFrame } from '../../../native-audio/level-meter';
import { bestLag, concatPcm, correlation } from '../../../native-audio/pcm';
import { sweep, tone } from '../../../native-audio/tone';

export const RATE = 16_000;
export const FRAME_SAMPLES = 320;
/** Silence before the signal, so the far end's audio path is open when it starts. */
const LEAD_MS = 200;
/** How long to listen after the signal: the longest round trip the test can measure. */
export const MAX_ROUND_TRIP_MS = 1_200;
const SIGNAL_DBFS = -12;

/** The signal alone: up-sweep 300->3400 Hz 200 ms, 50 ms gap, 1 kHz 150 ms, 50 ms gap, down-sweep 150 ms. */
export function echoSignal(): Int16Array {
  const ms = (t: number) => (t * RATE) / 1000;
  const parts = [sweep(300, 3400, SIGNAL_DBFS, RATE, ms(200)), new Int16Array(ms(50)), tone(1000, SIGNAL_DBFS, RATE, ms(150)), new Int16Array(ms(50)), sweep(3400, 300, SIGNAL_DBFS, RATE, ms(150))];
  return concatPcm(parts);
}

/** What is sent: lead silence, the signal, then silence while the echo comes back; whole 20 ms frames. */
export function echoPlan(): { samples: Int16Array; signalStart: number; signalLength: number } {
  const signal = echoSignal();
  const lead = (LEAD_MS * RATE) / 1000;
  const tail = (MAX_ROUND_TRIP_MS * RATE) / 1000;
  const total = Math.ceil((lead + signal.length + tail) / FRAME_SAMPLES) * FRAME_SAMPLES;
  const samples = new Int16Array(total);
  samples.set(signal, lead);
  return { samples, signalStart: lead, signalLength: signal.length };
}

export interface EchoMeasurement {
  roundTripMs: number | null;
  correlation: number | null;
  levelDbfs: number | null;
}

/**
 * Finds the signal in what came back. `received` is the far end's audio from the moment the first
 * frame was sent, frames concatenated as they arrived.
 */
export function measureEcho(plan: { samples: Int16Array; signalStart: number; signalLength: number }, received: Int16Array): EchoMeasurement {
  const maxLag = (MAX_ROUND_TRIP_MS * RATE) / 1000;
  // The window the correlation slides: the signal with a frame of silence either side. bestLag
  // compares the first (length - maxLag) samples of each, so both are padded to window + maxLag.
  const from = Math.max(0, plan.signalStart - FRAME_SAMPLES);
  const window = plan.signalLength + 2 * FRAME_SAMPLES;
  const sent = new Int16Array(window + maxLag);
  sent.set(plan.samples.subarray(from, from + window));
  const back = new Int16Array(window + maxLag);
  back.set(received.subarray(from, from + back.length));
  if (measureFrame(back).rmsDbfs <= -90) return { roundTripMs: null, correlation: 0, levelDbfs: null };
  const { lag, r } = findLag(sent, back, window, maxLag);
  const start = plan.signalStart - from + lag;
  const echoed = back.subarray(start, start + plan.signalLength);
  return { roundTripMs: Math.round((lag / RATE) * 1000), correlation: Math.max(0, r), levelDbfs: Math.round(measureFrame(echoed).rmsDbfs * 10) / 10 };
}

/** Coarse search decimated by 4 (the full search blocks the control thread for most of a second), then exact. */
const DECIMATE = 4;

function findLag(sent: Int16Array, back: Int16Array, window: number, maxLag: number): { lag: number; r: number } {
  // Both sides are decimated the same way, so aliasing changes the shape of both alike.
  const every = (x: Int16Array) => Int16Array.from({ length: Math.floor(x.length / DECIMATE) }, (_, i) => x[i * DECIMATE]!);
  const coarse = bestLag(every(sent), every(back), Math.floor(maxLag / DECIMATE)).lag * DECIMATE;
  const a = sent.subarray(0, window);
  let best = { lag: coarse, r: -2 };
  for (let lag = Math.max(0, coarse - 2 * DECIMATE); lag <= Math.min(maxLag, coarse + 2 * DECIMATE); lag++) {
    const r = correlation(a, back.subarray(lag, lag + window));
    if (r > best.r) best = { lag, r };
  }
  return best;
}
