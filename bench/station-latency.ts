/**
 * Station-added latency: how long the media plane holds audio in each direction, measured against a
 * real RTP peer on loopback and a real MediaEngine (worker thread, shared 20 ms clock).
 *
 * - RTP -> agent: from the peer's send of an RTP packet (loopback: its arrival) to the decoded 16 kHz
 *   frame reaching the control thread, which is where the station writes it to the agent.
 * - agent -> RTP: from the control thread's `pushPcm` (a frame read from the agent) to the RTP packet
 *   arriving at the peer.
 *
 * Each 20 ms frame carries one of 16 tones (500, 650 ... 2750 Hz), so a frame is recognised after the
 * codec, the resampler and the jitter buffer by its strongest tone; 16 codes span 320 ms, far more than
 * any delay measured here, so the match is unambiguous. Concealment repeats an already matched frame and
 * is not counted again. Several sessions per row start at phases spread over the 20 ms tick, since where a
 * stream's packets fall between two ticks decides how long they wait.
 *
 * Impaired rows: the peer drops 5 % of its packets and delays each by 0-10 ms (uniform), and the pushes
 * from the "agent" side are jittered by 0-10 ms as well (a network impairment cannot touch the send path).
 */
import dgram from 'node:dgram';
import { CODECS, type CodecName } from '../native-audio/codecs/index';
import { goertzelPower } from '../native-audio/pcm';
import { createResampler } from '../native-audio/resampler';
import { MediaEngine, type MediaSessionHandle } from '../electron/station/media/media-engine';
import { parseRtp, serializeRtp } from '../electron/station/media/rtp-packet';
import { setLogLevel } from '../electron/station/util/log';

export const FRAME_MS = 20;
export const PCM_SAMPLES = 320;
export const CODES = Array.from({ length: 16 }, (_, i) => 500 + 150 * i);
const SESSIONS_PER_ROW = 4;
export const WARMUP_MS = 1_000;
export const MEASURE_MS = 10_000;
export const TARGET = { p50Ms: 25, p99Ms: 45 };

export interface Condition {
  codec: CodecName;
  impaired: boolean;
}

export interface Stamp {
  code: number;
  at: number;
}

/** What one session saw: when each frame was sent, and when (and as what) frames came out. */
export interface Trace {
  condition: Condition;
  downSent: Stamp[];
  downOut: Array<{ at: number; pcm: Int16Array }>;
  upSent: Stamp[];
  upOut: Array<{ at: number; payload: Uint8Array }>;
  lostByNetwork: number;
}

export interface LatencyRow {
  direction: 'rtp->agent' | 'agent->rtp';
  codec: CodecName;
  impaired: boolean;
  frames: number;
  unmatched: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function toneFrame(code: number, rate: number, samples: number): Int16Array {
  const f = new Int16Array(samples);
  for (let n = 0; n < samples; n++) f[n] = Math.round(9000 * Math.sin((2 * Math.PI * CODES[code]! * n) / rate));
  return f;
}

/** The code of the strongest tone in a frame, or -1 for silence. */
export function classify(pcm: Int16Array, rate: number): number {
  let best = -1;
  let bestPower = ((1000 * pcm.length) / 2) ** 2; // a tone of peak 1000 at least
  for (let c = 0; c < CODES.length; c++) {
    const p = goertzelPower(pcm, CODES[c]!, rate);
    if (p > bestPower) {
      best = c;
      bestPower = p;
    }
  }
  return best;
}

/**
 * Latency of each sent frame to its first appearance in the output: an output frame is the most recent
 * sent frame with its code (at most 320 ms back); frames already matched (concealment repeats) are skipped.
 */
export function match(sent: Stamp[], out: Array<{ at: number; code: number }>, from: number): { latencies: number[]; unmatched: number } {
  const latencies: number[] = [];
  const matched = new Set<number>();
  let cursor = 0;
  for (const o of out) {
    while (cursor < sent.length && sent[cursor]!.at <= o.at) cursor++;
    for (let i = cursor - 1; i >= 0 && i >= cursor - CODES.length; i--) {
      if (sent[i]!.code !== o.code) continue;
      if (!matched.has(i)) {
        matched.add(i);
        if (sent[i]!.at >= from) latencies.push(o.at - sent[i]!.at);
      }
      break;
    }
  }
  const counted = sent.filter((s, i) => s.at >= from && s.at < sent[sent.length - 1]!.at - 200 && !matched.has(i)).length;
  return { latencies, unmatched: counted };
}

/** Calls `tick(n)` at start + n * 20 ms (+ jitter), scheduled from the start so lateness never adds up. */
export function pace(start: number, until: number, jitterMs: () => number, tick: (n: number) => void): Promise<void> {
  return new Promise((resolve) => {
    const due: Array<{ at: number; n: number }> = [];
    for (let n = 0; start + n * FRAME_MS < until; n++) due.push({ at: start + n * FRAME_MS + jitterMs(), n });
    due.sort((a, b) => a.at - b.at);
    let i = 0;
    const step = (): void => {
      while (i < due.length && due[i]!.at <= performance.now()) tick(due[i++]!.n);
      if (i >= due.length) return resolve();
      setTimeout(step, Math.max(0, due[i]!.at - performance.now()));
    };
    step();
  });
}

async function runSession(engine: MediaEngine, condition: Condition, phaseMs: number, startAt: number, rand: () => number): Promise<Trace> {
  const codec = CODECS[condition.codec];
  const peer = dgram.createSocket('udp4');
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
  const session: MediaSessionHandle = await engine.createSession({ bindAddress: '127.0.0.1' });
  const peerPort = peer.address().port;
  await session.configure({
    codec: condition.codec,
    payloadType: codec.payloadType,
    telephoneEventPt: null,
    remoteAddress: '127.0.0.1',
    remotePort: peerPort,
    remoteRtcpPort: peerPort + 1,
    direction: 'sendrecv',
    ptime: FRAME_MS,
  });
  const trace: Trace = { condition, downSent: [], downOut: [], upSent: [], upOut: [], lostByNetwork: 0 };
  session.on('pcm', (pcm) => trace.downOut.push({ at: performance.now(), pcm }));
  peer.on('message', (msg) => {
    const at = performance.now();
    const parsed = parseRtp(msg);
    if (parsed.ok && parsed.packet.payloadType === codec.payloadType) trace.upOut.push({ at, payload: parsed.packet.payload.slice() });
  });

  // The peer's frames, encoded in advance so that sending costs nothing but the send.
  const encoder = codec.createEncoder();
  const codecSamples = (codec.sampleRate / 1000) * FRAME_MS;
  const payloads = CODES.map((_, c) => encoder.encode(toneFrame(c, codec.sampleRate, codecSamples)));
  const ssrc = (rand() * 2 ** 32) >>> 0;
  const jitter = (): number => (condition.impaired ? rand() * 10 : 0);
  const until = startAt + WARMUP_MS + MEASURE_MS;
  const down = pace(startAt + phaseMs, until, jitter, (n) => {
    if (condition.impaired && rand() < 0.05) {
      trace.lostByNetwork++;
      return;
    }
    const code = n % CODES.length;
    const wire = serializeRtp({ payloadType: codec.payloadType, sequenceNumber: n & 0xffff, timestamp: (n * 160) >>> 0, ssrc, payload: payloads[code]!, marker: n === 0 });
    trace.downSent.push({ code, at: performance.now() });
    peer.send(wire, session.localPort, '127.0.0.1');
  });
  const up = pace(startAt + phaseMs + FRAME_MS / 2, until, jitter, (n) => {
    const code = n % CODES.length;
    trace.upSent.push({ code, at: performance.now() });
    session.pushPcm(toneFrame(code, 16000, PCM_SAMPLES));
  });
  await Promise.all([down, up]);
  await new Promise((r) => setTimeout(r, 300));
  await session.destroy();
  peer.close();
  return trace;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function analyse(traces: Trace[], startAt: number): LatencyRow[] {
  const rows = new Map<string, LatencyRow & { all: number[] }>();
  const row = (direction: LatencyRow['direction'], c: Condition): LatencyRow & { all: number[] } => {
    const key = `${direction} ${c.codec} ${c.impaired}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { direction, codec: c.codec, impaired: c.impaired, frames: 0, unmatched: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, all: [] }));
    return r;
  };
  const from = startAt + WARMUP_MS;
  for (const t of traces) {
    const codec = CODECS[t.condition.codec];
    const down = match(t.downSent, t.downOut.map((o) => ({ at: o.at, code: classify(o.pcm, 16000) })), from);
    const r1 = row('rtp->agent', t.condition);
    r1.all.push(...down.latencies);
    r1.unmatched += down.unmatched;
    // Decode what the peer received in arrival order, back to 16 kHz so both directions classify alike.
    const decoder = codec.createDecoder();
    const up16 = codec.sampleRate === 16000 ? null : createResampler(codec.sampleRate, 16000);
    const upOut = t.upOut.map((o) => {
      const pcm = decoder.decode(o.payload);
      return { at: o.at, code: classify(up16 ? up16.process(pcm) : pcm, 16000) };
    });
    const up = match(t.upSent, upOut, from);
    const r2 = row('agent->rtp', t.condition);
    r2.all.push(...up.latencies);
    r2.unmatched += up.unmatched;
  }
  return [...rows.values()].map(({ all, ...r }) => {
    const sorted = all.sort((a, b) => a - b);
    return { ...r, frames: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] ?? NaN };
  });
}

/** Runs every condition at once in one engine (one worker, as one station worker carries many calls). */
export async function measureStationLatency(): Promise<LatencyRow[]> {
  setLogLevel('error');
  const engine = await MediaEngine.start({ workers: 1 });
  try {
    let seed = 20240607;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const conditions: Condition[] = [];
    for (const impaired of [false, true]) for (const codec of ['G722', 'PCMU'] as const) conditions.push({ codec, impaired });
    const startAt = performance.now() + 500;
    const traces = await Promise.all(
      conditions.flatMap((c) => Array.from({ length: SESSIONS_PER_ROW }, (_, i) => runSession(engine, c, (i * FRAME_MS) / SESSIONS_PER_ROW, startAt, rand))),
    );
    return analyse(traces, startAt);
  } finally {
    await engine.stop();
  }
}

export async function runStationLatencyBench(): Promise<string> {
  const rows = await measureStationLatency();
  const ms = (v: number): string => `${v.toFixed(1).padStart(6)} (${(v / FRAME_MS).toFixed(2)})`;
  const lines = [
    `\nStation-added latency (MediaEngine worker, RTP peer on loopback), ${MEASURE_MS / 1000} s, ${SESSIONS_PER_ROW} sessions per row at phases spread over the 20 ms tick`,
    `target p50 <= ${TARGET.p50Ms} ms, p99 <= ${TARGET.p99Ms} ms on a clean network; "impaired" = 5 % loss and 0-10 ms jitter`,
    'direction    codec  network   frames  unmatched  p50 ms (frames)  p99 ms (frames)  max ms  target',
  ];
  for (const r of rows) {
    const ok = r.impaired ? '-' : r.p50Ms <= TARGET.p50Ms && r.p99Ms <= TARGET.p99Ms ? 'met' : 'MISSED';
    lines.push(
      [
        r.direction.padEnd(11),
        r.codec.padEnd(5),
        (r.impaired ? 'impaired' : 'clean').padEnd(8),
        String(r.frames).padStart(7),
        String(r.unmatched).padStart(10),
        `${ms(r.p50Ms)}   `,
        `${ms(r.p99Ms)}   `,
        r.maxMs.toFixed(1).padStart(6),
        `  ${ok}`,
      ].join('  '),
    );
  }
  return lines.join('\n');
}
