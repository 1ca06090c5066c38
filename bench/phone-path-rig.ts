/**
 * The phone path of the media benches: a media engine with one worker, its far ends in a worker thread
 * of their own (bench/phone-latency-peer.ts: an RTP peer per session, one stand-in agent), and one
 * session per codec configured towards its peer and bridged to the agent, ready for `go`.
 */
import { Worker } from 'node:worker_threads';
import { CODECS, type CodecName } from '../native-audio/codecs/index';
import { MediaEngine, type MediaSessionHandle } from '../electron/station/media/media-engine';
import type { FromPeer, PeerSetup, ToPeer } from './phone-latency-peer';
import { FRAME_MS } from './station-latency';

export interface PhonePathRig {
  engine: MediaEngine;
  sessions: MediaSessionHandle[];
  /** Starts the peer's traffic; resolves with its report once it is over. */
  go(): Promise<FromPeer>;
  close(): Promise<void>;
}

export async function openPhonePath(codecs: CodecName[]): Promise<PhonePathRig> {
  const engine = await MediaEngine.start({ workers: 1 });
  const peer = new Worker(new URL('../electron/station/media/media-worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./phone-latency-peer.ts', import.meta.url).href, codecs } satisfies PeerSetup & { entry: string },
  });
  const next = (): Promise<FromPeer> => new Promise((resolve, reject) => (peer.once('message', resolve), peer.once('error', reject)));
  const close = async (): Promise<void> => {
    // The peer closed its sockets before it reported (terminating a thread with UDP sockets open can abort node).
    await peer.terminate();
    await engine.stop();
  };
  try {
    const ready = await next();
    if (ready.type !== 'ready') throw new Error('the bench peer did not start');
    const sessions = await Promise.all(codecs.map(() => engine.createSession({ bindAddress: '127.0.0.1' })));
    await Promise.all(
      sessions.map(async (s, i) => {
        const codec = CODECS[codecs[i]!];
        const rtp = ready.rtpPorts[i]!;
        await s.configure({ codec: codecs[i]!, payloadType: codec.payloadType, telephoneEventPt: null, remoteAddress: '127.0.0.1', remotePort: rtp, remoteRtcpPort: rtp + 1, direction: 'sendrecv', ptime: FRAME_MS });
        await s.bridgePhone({ port: ready.agentPort, software: 'bench', callId: i + 1 });
      }),
    );
    const go = (): Promise<FromPeer> => {
      const done = next();
      peer.postMessage({ type: 'go', localPorts: sessions.map((s) => s.localPort) } satisfies ToPeer);
      return done;
    };
    return { engine, sessions, go, close };
  } catch (err) {
    await close();
    throw err;
  }
}
