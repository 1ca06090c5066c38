/**
 * The call half of scripts/device-smoke.sh: through an adb forward to a running agent, it does what the
 * station does for one call (control connection: hello, channel, get-info, dial; audio connection: hello,
 * channel, audio-start), plays a noise burst into the call, records what comes back from a number that
 * echoes, and measures the round trip by correlation, per half second (PROTOCOL.md, "Channels" and "Audio").
 *
 *   npx tsx scripts/device-smoke-call.ts --port PORT --number DIGITS
 *
 * Prints one JSON line: the agent's info, the call's events, the round trip in ms and the correlation.
 * Exits 1 when the call does not connect or nothing comparable comes back.
 */
import { pathToFileURL } from 'node:url';
import { bufferToPcm, concatPcm, pcmToBuffer, windowedEcho } from '../native-audio/pcm';
import { AUDIO_FRAME_MS, AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE, PROTOCOL_VERSION, type AgentMessage, type MessageOf } from '../phone-agent/protocol';
import { TestStation } from '../phone-agent/simulator/agent/test-station';

export interface SmokeCallOptions {
  port: number;
  number: string;
  /** How long the callee may take to answer (a phone rings for up to a minute). */
  answerTimeoutMs?: number;
  /** The test signal's length; the echo is searched up to `maxRoundTripMs` later. */
  signalMs?: number;
  maxRoundTripMs?: number;
}

export interface SmokeCallResult {
  info: Omit<MessageOf<'info'>, 'type'>;
  events: string[];
  connected: boolean;
  outcome: string | null;
  roundTripMs: number | null;
  correlation: number | null;
}

const CALL_ID = 1;
const LEAD_IN_MS = 1000;

/** A reproducible noise burst at about -12 dBFS: broadband, so any voice codec keeps enough of it to correlate. */
export function testSignal(samples: number): Int16Array {
  const out = new Int16Array(samples);
  let seed = 0x2545f491;
  for (let i = 0; i < samples; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    out[i] = ((seed >>> 0) % 16384) - 8192;
  }
  return out;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function smokeCall(opts: SmokeCallOptions): Promise<SmokeCallResult> {
  const control = await TestStation.connect(opts.port);
  const events: string[] = [];
  try {
    await control.handshake(PROTOCOL_VERSION, 'control');
    control.send({ type: 'get-info' });
    const { type: _type, ...info } = await control.next('info');
    control.send({ type: 'dial', callId: CALL_ID, number: opts.number });
    const connected = await awaitConnected(control, events, Date.now() + (opts.answerTimeoutMs ?? 90_000));
    if (!connected.ok) return { info, events, connected: false, outcome: connected.outcome, roundTripMs: null, correlation: null };
    let echo: Awaited<ReturnType<typeof measureEcho>>;
    try {
      echo = await measureEcho(opts.port, opts.signalMs ?? 2000, opts.maxRoundTripMs ?? 1500);
    } finally {
      // a failed measurement must not leave the phone in a call
      control.send({ type: 'hang-up', callId: CALL_ID });
    }
    const ended = await control.next('call-ended', 15_000);
    events.push(`call-ended ${ended.outcome}`);
    return { info, events, connected: true, outcome: ended.outcome, ...echo };
  } finally {
    control.close();
  }
}

async function awaitConnected(control: TestStation, events: string[], deadline: number): Promise<{ ok: boolean; outcome: string | null }> {
  for (;;) {
    // every event of the call, in order: dialing and ringing are what a person at the phone sees too
    const msg = await nextOf(control, ['call-dialing', 'call-ringing', 'call-connected', 'call-ended'], deadline, events);
    if (msg.type === 'call-ended') {
      events.push(`call-ended ${msg.outcome}`);
      return { ok: false, outcome: msg.outcome };
    }
    events.push(msg.type);
    if (msg.type === 'call-connected') return { ok: true, outcome: null };
  }
}

/** The first message of any of these types, in arrival order (TestStation.next waits for one type only). */
async function nextOf(station: TestStation, types: readonly string[], deadline: number, events: string[]): Promise<AgentMessage> {
  for (;;) {
    const index = station.inbox.findIndex((m) => types.includes(m.type));
    if (index >= 0) return station.inbox.splice(index, 1)[0]!;
    if (Date.now() >= deadline || station.socket.destroyed) {
      throw new Error(`the call did not connect in time (events: ${events.join(', ') || 'none'})`);
    }
    await new Promise<void>((resolve) => {
      const onData = () => {
        clearTimeout(timer);
        setImmediate(resolve);
      };
      const timer = setTimeout(() => {
        station.socket.off('data', onData);
        resolve();
      }, 100);
      station.socket.once('data', onData);
    });
  }
}

/**
 * Plays the signal on the audio connection, paced at one frame per 20 ms after a second of silence, and
 * correlates it with what the agent sends back. The received stream's sample count when the signal
 * starts anchors the two (the agent's downlink is continuous while the call lasts).
 */
async function measureEcho(port: number, signalMs: number, maxRoundTripMs: number): Promise<{ roundTripMs: number | null; correlation: number | null }> {
  const audio = await TestStation.connect(port);
  try {
    await audio.handshake(PROTOCOL_VERSION, 'audio');
    const received: Int16Array[] = [];
    let receivedSamples = 0;
    // In arrival order: one read can carry several frames (a burst after a stall of the sender or the
    // agent), and taking them last-first would play the echo back with its frames swapped.
    audio.socket.on('data', () => {
      const others: AgentMessage[] = [];
      for (const m of audio.inbox.splice(0)) {
        if (m.type !== 'audio') {
          others.push(m);
          continue;
        }
        const pcm = bufferToPcm(m.pcm);
        received.push(pcm);
        receivedSamples += pcm.length;
      }
      audio.inbox.push(...others);
    });
    audio.send({ type: 'audio-start', callId: CALL_ID });
    const signal = testSignal(Math.round((signalMs * AUDIO_SAMPLE_RATE) / 1000));
    const silentFrames = LEAD_IN_MS / AUDIO_FRAME_MS;
    const frames = silentFrames + Math.ceil(signal.length / AUDIO_FRAME_SAMPLES) + Math.ceil(maxRoundTripMs / AUDIO_FRAME_MS) + 10;
    const t0 = performance.now();
    let anchor = -1;
    for (let n = 0; n < frames; n++) {
      await delay(t0 + n * AUDIO_FRAME_MS - performance.now());
      const frame = new Int16Array(AUDIO_FRAME_SAMPLES);
      const offset = (n - silentFrames) * AUDIO_FRAME_SAMPLES;
      if (offset === 0) anchor = receivedSamples;
      if (offset >= 0 && offset < signal.length) frame.set(signal.subarray(offset, offset + AUDIO_FRAME_SAMPLES));
      audio.send({ type: 'audio', seq: n, timestamp: n * AUDIO_FRAME_SAMPLES, pcm: pcmToBuffer(frame) });
    }
    audio.send({ type: 'audio-stop', callId: CALL_ID });
    const all = concatPcm(received);
    const maxLag = Math.round((maxRoundTripMs * AUDIO_SAMPLE_RATE) / 1000);
    const output = all.subarray(Math.max(0, anchor));
    if (anchor < 0 || output.length < signal.length + maxLag) return { roundTripMs: null, correlation: null };
    return roundTrip(signal, output, maxLag);
  } finally {
    audio.close();
  }
}

/** The echo's round trip and correlation, per 100 ms of the signal with the median taken (pcm.ts). */
export function roundTrip(signal: Int16Array, output: Int16Array, maxLag: number): { roundTripMs: number; correlation: number } {
  const { delayMs, correlation } = windowedEcho(signal, output, maxLag, AUDIO_SAMPLE_RATE);
  return { roundTripMs: delayMs, correlation };
}

function arg(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  const port = Number(arg(argv, '--port'));
  const number = arg(argv, '--number') ?? '';
  if (!Number.isInteger(port) || port <= 0 || !/^\d{6,15}$/.test(number)) {
    console.error('usage: npx tsx scripts/device-smoke-call.ts --port PORT --number DIGITS (international, no +)');
    process.exit(2);
  }
  const result = await smokeCall({ port, number });
  console.log(JSON.stringify(result));
  if (!result.connected || result.correlation === null || result.correlation < 0.5) process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: Error) => {
    console.error(`device-smoke: ${err.message}`);
    process.exit(1);
  });
}
