/**
 * The codec registry: every codec the station can put on an RTP stream, by name and by static
 * payload type. SDP offers are built from, and answers matched against, this one table.
 */
import type { AudioCodec, CodecName } from './codec';
import { G722 } from './g722';
import { PCMA, PCMU } from './g711';

export type { AudioCodec, CodecName, FrameDecoder, FrameEncoder } from './codec';

export const CODECS: Record<CodecName, AudioCodec> = { G722, PCMU, PCMA };

const BY_PAYLOAD_TYPE = new Map<number, AudioCodec>(Object.values(CODECS).map((c) => [c.payloadType, c]));

/** The codec for a static RTP payload type, or undefined for one the station does not speak. */
export function codecByPayloadType(pt: number): AudioCodec | undefined {
  return BY_PAYLOAD_TYPE.get(pt);
}
