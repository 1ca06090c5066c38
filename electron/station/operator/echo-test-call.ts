/**
 * The line echo test: the line's phone calls an echo contact on WhatsApp, sends the test signal of
 * media/echo-signal.ts and measures what comes back. It checks the whole path (station -> agent -> phone ->
 * WhatsApp -> and back) without a PBX. The signal is sent and measured in a media worker, which opens
 * the call's audio connection itself (media/worker-phone-audio.ts): the busy control thread neither
 * delays the signal's frames nor adds its own delay to the round trip measured. The call is recorded with direction 'echo-test' (left out of
 * traffic statistics) and hung up when the measurement is done.
 */
import type { EchoTestResult } from '../api/types';
import type { Call } from '../calls/call';
import type { Line } from '../lines/line';
import type { MediaEngine } from '../media/media-engine';
import type { EchoTestValue } from '../media/media-messages';
import { placePhoneCall, type PhoneCallDeps } from './phone-call';

/** A correlation above this means the path kept the signal's shape. */
export const ECHO_OK_CORRELATION = 0.8;
/** How long the echo contact may take to answer after ringing starts. */
const ANSWER_TIMEOUT_MS = 30_000;

/** Runs the test on a free line (see checkLineFree) to `number`; never throws for a failed call, says why instead. */
export async function runEchoTest(deps: PhoneCallDeps, line: Line, number: string, media: MediaEngine): Promise<EchoTestResult> {
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
    if (first === 'timeout') call.hangUp();
    await ended;
    const why = first === 'timeout' ? `not answered within ${Math.round(timeout / 1000)} s` : `not answered: ${call.outcome ?? 'ended'}`;
    return { ...base, ok: false, message: `echo test on line ${line.config.id}: the call to +${number} was ${why}` };
  }
  const measured = await exchangeSignal(call, line, media);
  call.hangUp();
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

/** Has a media worker stream the signal to the phone's audio connection and measure the echo; the call's end stops it. */
async function exchangeSignal(call: Call, line: Line, media: MediaEngine): Promise<EchoTestValue> {
  const forward = line.port.forward;
  if (!forward) return { complete: false, result: { roundTripMs: null, correlation: null, levelDbfs: null } };
  const ended = new AbortController();
  const off = call.on('change', (v) => v.state === 'ended' && ended.abort());
  try {
    // A new control link may come through a new forward (the adb server restarted): the signal follows it.
    const onPortMove = (move: (port: number) => void) =>
      line.port.on('link', () => {
        const moved = line.port.forward;
        if (moved) move(moved.port);
      });
    const measured = await media.echoTest({ port: forward.port, software: forward.software, callId: call.phoneCallId }, ended.signal, onPortMove);
    return { ...measured, complete: measured.complete && !call.ended };
  } finally {
    off();
  }
}
