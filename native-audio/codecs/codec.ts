/**
 * The descriptor every audio codec registers, in the manner of baresip's codec registry: a plain
 * object naming the codec, its RTP payload type and clocks, and factories for per-call encoder and
 * decoder state. Media code looks codecs up in `CODECS` (index.ts) and never imports an implementation.
 */

export type CodecName = 'G722' | 'PCMU' | 'PCMA';

/** Turns one frame of PCM at the codec's sampleRate into one RTP payload; keeps state across frames. */
export interface FrameEncoder {
  encode(pcm: Int16Array): Uint8Array;
}

/**
 * Turns one RTP payload into PCM at the codec's sampleRate; keeps state across frames.
 * `conceal(samples)` stands in for a frame that never arrived (packet loss concealment).
 */
export interface FrameDecoder {
  decode(payload: Uint8Array): Int16Array;
  conceal(samples: number): Int16Array;
}

export interface AudioCodec {
  name: CodecName;
  payloadType: number;
  /** Clock of RTP timestamps; for G.722 it is 8000 although the audio is sampled at 16000. */
  rtpClockRate: number;
  sampleRate: 8000 | 16000;
  channels: 1;
  /** Payload bytes of one 20 ms frame (the station's ptime): longer packets from a peer are split at this size. */
  frameBytes: number;
  /** RTP timestamp ticks of one 20 ms frame, at `rtpClockRate`. */
  frameTicks: number;
  createEncoder(): FrameEncoder;
  createDecoder(): FrameDecoder;
}
