/**
 * The codec registry: every codec the station can put on an RTP stream, by name and by static
 * payload type. SDP offers are built from, and answers matched against, this one table.
 */
import type { AudioCodec, CodecName } from './codec';
import { G722 } from './g722';
import { PCMA, PCMU } from './g711';

export type { AudioCodec, CodecName, FrameDecoder, FrameEncoder } from './codec';

export const CODECS: Record<CodecName, AudioCodec> = { G722, PCMU, PCMA };

/**
 * The RTP clock and frame step every registered codec shares. An RTP session builds its receiver
 * (jitter in clock units) and jitter buffer before the codec is negotiated, so it takes them from
 * here; a codec with another clock (Opus at 48000) would need both rebuilt on negotiation, and this
 * refuses it until they are.
 */
export const RTP_FRAMING = sharedFraming(Object.values(CODECS));

function sharedFraming(codecs: readonly AudioCodec[]): { rtpClockRate: number; frameTicks: number } {
  const [first] = codecs;
  if (!first) throw new Error('codec registry: no codec registered');
  for (const c of codecs) {
    if (c.rtpClockRate !== first.rtpClockRate || c.frameTicks !== first.frameTicks) {
      throw new Error(
        `codec registry: ${c.name} has a ${c.rtpClockRate} Hz RTP clock and ${c.frameTicks} ticks per frame, ${first.name} ${first.rtpClockRate} Hz and ${first.frameTicks}: an RTP session cannot be built for both`,
      );
    }
  }
  return { rtpClockRate: first.rtpClockRate, frameTicks: first.frameTicks };
}

const BY_PAYLOAD_TYPE = new Map<number, AudioCodec>(Object.values(CODECS).map((c) => [c.payloadType, c]));

/** The codec for a static RTP payload type, or undefined for one the station does not speak. */
export function codecByPayloadType(pt: number): AudioCodec | undefined {
  return BY_PAYLOAD_TYPE.get(pt);
}
