/**
 * The far ends of bench/phone-path-latency.ts, in a worker thread of their own so that the station's busy
 * control thread cannot touch their clock: one RTP peer per session (the PBX side) and one stand-in agent
 * (the phone side) that serves each call's audio connection the way the agent does (hello, then
 * `channel` audio and `audio-start`), sends a tone-coded frame every 20 ms and records what arrives.
 * Every timestamp of a trace is taken here, on one clock.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { CODECS, type CodecName } from '../native-audio/codecs/index';
import { bufferToPcm, pcmToBuffer } from '../native-audio/pcm';
import { FrameDecoder, PROTOCOL_VERSION, encodeMessage } from '../phone-agent/protocol';
import { serializeRtp, parseRtp } from '../electron/station/media/rtp-packet';
import { CODES, FRAME_MS, MEASURE_MS, PCM_SAMPLES, WARMUP_MS, pace, toneFrame, type Trace } from './station-latency';

export interface PeerSetup {
  codecs: CodecName[];
}

export type ToPeer = { type: 'go'; localPorts: number[] };
export type FromPeer = { type: 'ready'; agentPort: number; rtpPorts: number[] } | { type: 'done'; traces: Trace[]; startAt: number };

const port = parentPort!;
const { codecs } = workerData as PeerSetup;
const traces: Trace[] = codecs.map((codec) => ({ condition: { codec, impaired: false }, downSent: [], downOut: [], upSent: [], upOut: [], lostByNetwork: 0 }));
/** The audio connection of each session (call id = index + 1), once its audio-start arrived. */
const audio: Array<net.Socket | null> = codecs.map(() => null);

const peers = await Promise.all(
  codecs.map(async (codec, i) => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    sock.on('message', (msg) => {
      const at = performance.now();
      const parsed = parseRtp(msg);
      if (parsed.ok && parsed.packet.payloadType === CODECS[codec].payloadType) traces[i]!.upOut.push({ at, payload: parsed.packet.payload.slice() });
    });
    return sock;
  }),
);

const agent = net.createServer((socket) => {
  socket.setNoDelay(true);
  const decoder = new FrameDecoder();
  let session = -1;
  socket.write(encodeMessage({ type: 'hello', version: PROTOCOL_VERSION, software: 'bench-agent/1' }));
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    for (const m of decoder.push(chunk)) {
      if (m.type === 'audio-start') {
        session = m.callId - 1;
        audio[session] = socket;
      } else if (m.type === 'ping') socket.write(encodeMessage({ type: 'pong', nonce: m.nonce }));
      else if (m.type === 'audio' && session >= 0) traces[session]!.downOut.push({ at: performance.now(), pcm: bufferToPcm(m.pcm) });
    }
  });
});
await new Promise<void>((r) => agent.listen(0, '127.0.0.1', () => r()));

port.postMessage({ type: 'ready', agentPort: (agent.address() as net.AddressInfo).port, rtpPorts: peers.map((p) => p.address().port) } satisfies FromPeer);

port.once('message', async (m: ToPeer) => {
  const startAt = performance.now() + 500;
  const until = startAt + WARMUP_MS + MEASURE_MS;
  const frames = CODES.map((_, c) => pcmToBuffer(toneFrame(c, 16000, PCM_SAMPLES)));
  await Promise.all(
    codecs.flatMap((name, i) => {
      const codec = CODECS[name];
      const encoder = codec.createEncoder();
      const payloads = CODES.map((_, c) => encoder.encode(toneFrame(c, codec.sampleRate, (codec.sampleRate / 1000) * FRAME_MS)));
      const ssrc = (0x5eed0000 + i) >>> 0;
      // Sessions start at phases spread over the 20 ms tick, as in the station-latency bench.
      const phase = (i * FRAME_MS) / codecs.length;
      const down = pace(startAt + phase, until, () => 0, (n) => {
        const code = n % CODES.length;
        const wire = serializeRtp({ payloadType: codec.payloadType, sequenceNumber: n & 0xffff, timestamp: (n * 160) >>> 0, ssrc, payload: payloads[code]!, marker: n === 0 });
        traces[i]!.downSent.push({ code, at: performance.now() });
        peers[i]!.send(wire, m.localPorts[i]!, '127.0.0.1');
      });
      const up = pace(startAt + phase + FRAME_MS / 2, until, () => 0, (n) => {
        const socket = audio[i];
        if (!socket) return;
        const code = n % CODES.length;
        traces[i]!.upSent.push({ code, at: performance.now() });
        socket.write(encodeMessage({ type: 'audio', seq: n, timestamp: (n * PCM_SAMPLES) >>> 0, pcm: frames[code]! }));
      });
      return [down, up];
    }),
  );
  await new Promise((r) => setTimeout(r, 300));
  // Closed before the report: a thread terminated with UDP sockets open can abort node.
  for (const p of peers) p.close();
  agent.close();
  for (const s of audio) s?.destroy();
  // The traces are analysed by the main thread once the measurement is over (times are this thread's).
  port.postMessage({ type: 'done', traces, startAt } satisfies FromPeer);
});
