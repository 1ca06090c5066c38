/**
 * The line echo test: the line's phone calls an echo contact on WhatsApp, sends the test signal of
 * echo-signal.ts and measures what comes back. It checks the whole path (station -> agent -> phone ->
 * WhatsApp -> and back) without a PBX. The call is recorded with direction 'echo-test' (left out of
 * traffic statistics) and hung up when the measurement is done.
 */
import type { EchoTestResult } from '../api/types';
import type { Call } from '../calls/call';
import type { Line } from '../lines/line';
import { echoPlan, FRAME_SAMPLES, MAX_ROUND_TRIP_MS, measureEcho } from './echo-signal';
import { PhoneAudio } from '../calls/phone-audio';
import { hangUpPhoneCall, placePhoneCall, type PhoneCallDeps } from './phone-call';

/** A correlation above this means the path kept the signal's shape. */
export const ECHO_OK_CORRELATION = 0.8;
/** How long the echo contact may take to answer after ringing starts. */
const ANSWER_TIMEOUT_MS = 30_000;

/** Runs the test on a free line (see checkLineFree) to `number`; never throws for a failed call, says why instead. */
export async function runEchoTest(deps: PhoneCallDeps, line: Line, number: string): Promise<EchoTestResult> {
  const base = { lineId: line.config.id, number, roundTripMs: null, correlation: null, levelDbfs: null };
  let connected!: () => void;
  const answered = new Promise<void>((resolve) => (connected = resolve));
  const call = placePhoneCall(deps, line, 'echo-test', number, () => connected());
  const ended = new Promise<void>((resolve) => {
    if (call.ended) resolve();
    const off = call.on('change', (v) => v.state === 'ended' && (off(), resolve()));
  });
  const timeout = deps.offlineTimeoutS * 1000 + ANSWER_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeout)));
  const first = await Promise.race([answered.then(() => 'answered' as const), ended.then(() => 'ended' as const), timedOut]);
  clearTimeout(timer);
  if (first !== 'answered') {
    if (first === 'timeout') hangUpPhoneCall(call);
    await ended;
    const why = first === 'timeout' ? `not answered within ${Math.round(timeout / 1000)} s` : `not answered: ${call.outcome ?? 'ended'}`;
    return { ...base, ok: false, message: `echo test on line ${line.config.id}: the call to +${number} was ${why}` };
  }
  const measured = await exchangeSignal(call, line);
  hangUpPhoneCall(call);
  await ended;
  if (!measured.complete) {
    return { ...base, ok: false, message: `echo test on line ${line.config.id}: the call to +${number} ended during the test (${call.outcome ?? 'ended'}, ${call.hangupSide ?? ''} side)` };
  }
  const m = measured.result;
  const ok = m.correlation !== null && m.correlation > ECHO_OK_CORRELATION;
  const message =
    m.roundTripMs === null ? `echo test on line ${line.config.id}: nothing came back from +${number} (silence)`
    : ok ? `echo test on line ${line.config.id}: the signal came back after ${m.roundTripMs} ms, correlation ${m.correlation!.toFixed(2)}, ${m.levelDbfs} dBFS`
    : `echo test on line ${line.config.id}: what came back from +${number} does not match the signal (correlation ${m.correlation!.toFixed(2)}, at most ${ECHO_OK_CORRELATION} expected)`;
  deps.log.info(message);
  return { ...base, ...m, ok, message };
}

/** Streams the plan to the phone at real time (20 ms frames, paced against the clock) while recording. */
async function exchangeSignal(call: Call, line: Line): Promise<{ complete: boolean; result: ReturnType<typeof measureEcho> }> {
  const plan = echoPlan();
  const frames = plan.samples.length / FRAME_SAMPLES;
  const received: Int16Array[] = [];
  const sentAt: number[] = [];
  const arrivedAt: number[] = [];
  let sending = false;
  const audio = new PhoneAudio(line.port, call.phoneCallId, (frame) => {
    if (!sending) return;
    received.push(frame);
    arrivedAt.push(performance.now());
  });
  audio.start();
  const t0 = performance.now();
  sending = true;
  for (let k = 0; k < frames && !call.ended; k++) {
    sentAt.push(performance.now());
    audio.send(plan.samples.slice(k * FRAME_SAMPLES, (k + 1) * FRAME_SAMPLES));
    const due = t0 + (k + 1) * 20;
    await delay(Math.max(0, due - performance.now()));
  }
  // The last frames' echo is on its way: wait one round trip budget's worth at most for the record to fill.
  const deadline = performance.now() + MAX_ROUND_TRIP_MS;
  while (!call.ended && received.length < frames && performance.now() < deadline) await delay(20);
  audio.stop();
  const back = new Int16Array(received.length * FRAME_SAMPLES);
  received.forEach((f, i) => back.set(f.subarray(0, FRAME_SAMPLES), i * FRAME_SAMPLES));
  const result = measureEcho(plan, back);
  // The correlation's lag counts whole samples of the returned stream; each returned frame also
  // arrived some milliseconds after the frame sent in the same position: together, the round trip.
  const n = Math.min(sentAt.length, arrivedAt.length);
  if (result.roundTripMs !== null && n > 0) {
    let offset = 0;
    for (let i = 0; i < n; i++) offset += arrivedAt[i]! - sentAt[i]!;
    result.roundTripMs = Math.round(result.roundTripMs + offset / n);
  }
  return { complete: !call.ended, result };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
