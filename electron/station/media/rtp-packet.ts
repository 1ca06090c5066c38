/**
 * RTP fixed header parse and serialize ({@link https://www.rfc-editor.org/rfc/rfc3550#section-5.1 | RFC 3550 §5.1}).
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 * |            contributing source (CSRC) identifiers  (CC x 32)  |
 * |  profile-defined (X)          |        length (32-bit words)  |  header extension (§5.3.1)
 * ```
 *
 * Parsing never throws on hostile input: `parseRtp` returns a result that names why a datagram was
 * rejected, so the receive path can count rejections by reason instead of logging every stray packet.
 */

export const RTP_VERSION = 2;
export const RTP_HEADER_BYTES = 12;

const FLAG_PADDING = 0x20;
const FLAG_EXTENSION = 0x10;
const MASK_CSRC_COUNT = 0x0f;
const FLAG_MARKER = 0x80;
const MASK_PAYLOAD_TYPE = 0x7f;

export interface RtpHeaderExtension {
  /** The 16-bit profile-defined value (0xBEDE for RFC 8285 one-byte headers). */
  profile: number;
  /** Extension data, a multiple of 4 bytes. */
  data: Uint8Array;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension: RtpHeaderExtension | null;
  /** Payload with padding removed. A view into the parsed buffer: copy it to keep it past the datagram. */
  payload: Uint8Array;
  /** Padding bytes that were present on the wire (0 when P was clear). */
  paddingBytes: number;
}

export type RtpPacketInit = Pick<RtpPacket, 'payloadType' | 'sequenceNumber' | 'timestamp' | 'ssrc' | 'payload'> &
  Partial<Pick<RtpPacket, 'marker' | 'csrcs' | 'extension'>> & {
    /** Pad the packet to a multiple of this many bytes (RFC 3550 §5.1 P bit); 0 or absent: no padding. */
    padTo?: number;
  };

/** Why a datagram is not a usable RTP packet. */
export type RtpRejectReason = 'too-short' | 'bad-version' | 'csrc-overflow' | 'extension-overflow' | 'bad-padding' | 'rtcp';

export type RtpParseResult = { ok: true; packet: RtpPacket } | { ok: false; reason: RtpRejectReason; message: string };

/** Thrown by {@link parseRtpOrThrow}; `reason` is the machine-readable cause. */
export class RtpPacketError extends Error {
  constructor(
    readonly reason: RtpRejectReason,
    message: string,
  ) {
    super(message);
    this.name = 'RtpPacketError';
  }
}

function reject(reason: RtpRejectReason, message: string): RtpParseResult {
  return { ok: false, reason, message };
}

/** Parses one datagram as RTP; rejects (with a reason) anything that is not a well-formed RTP packet. */
export function parseRtp(buf: Uint8Array): RtpParseResult {
  if (buf.length < RTP_HEADER_BYTES) return reject('too-short', `RTP packet of ${buf.length} bytes is shorter than the 12-byte fixed header`);
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  const version = b0 >> 6;
  if (version !== RTP_VERSION) return reject('bad-version', `RTP version ${version}, expected ${RTP_VERSION}`);
  // RFC 5761 §4: payload types 64-95 with the marker bit form the RTCP packet types 192-223.
  if (b1 >= 192 && b1 <= 223) return reject('rtcp', `packet type ${b1} is RTCP, not RTP`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const csrcCount = b0 & MASK_CSRC_COUNT;
  let offset = RTP_HEADER_BYTES + csrcCount * 4;
  if (offset > buf.length) return reject('csrc-overflow', `${csrcCount} CSRCs need ${offset} bytes but the packet has ${buf.length}`);
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(RTP_HEADER_BYTES + i * 4));

  let extension: RtpHeaderExtension | null = null;
  if (b0 & FLAG_EXTENSION) {
    if (offset + 4 > buf.length) return reject('extension-overflow', 'X bit set but no room for the extension header');
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    const end = offset + 4 + words * 4;
    if (end > buf.length) return reject('extension-overflow', `header extension of ${words} words runs past the end of the packet`);
    extension = { profile, data: buf.subarray(offset + 4, end) };
    offset = end;
  }

  let end = buf.length;
  let paddingBytes = 0;
  if (b0 & FLAG_PADDING) {
    paddingBytes = buf[buf.length - 1]!;
    // §5.1: the last octet counts itself, so 0 is invalid, and padding cannot eat into the header.
    if (paddingBytes === 0 || end - paddingBytes < offset) {
      return reject('bad-padding', `padding count ${paddingBytes} is invalid for a ${buf.length}-byte packet with a ${offset}-byte header`);
    }
    end -= paddingBytes;
  }

  return {
    ok: true,
    packet: {
      marker: (b1 & FLAG_MARKER) !== 0,
      payloadType: b1 & MASK_PAYLOAD_TYPE,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrcs,
      extension,
      payload: buf.subarray(offset, end),
      paddingBytes,
    },
  };
}

/** Like {@link parseRtp} but throws an {@link RtpPacketError}; for callers that treat bad input as a bug. */
export function parseRtpOrThrow(buf: Uint8Array): RtpPacket {
  const result = parseRtp(buf);
  if (!result.ok) throw new RtpPacketError(result.reason, result.message);
  return result.packet;
}

/** Serializes a packet; numeric fields are masked to their wire width so callers may pass running counters. */
export function serializeRtp(p: RtpPacketInit): Uint8Array {
  const csrcs = p.csrcs ?? [];
  if (csrcs.length > 15) throw new RangeError(`an RTP packet carries at most 15 CSRCs, got ${csrcs.length}`);
  if (p.payloadType < 0 || p.payloadType > 127) throw new RangeError(`RTP payload type ${p.payloadType} is outside 0-127`);
  const ext = p.extension ?? null;
  if (ext && ext.data.length % 4 !== 0) throw new RangeError(`RTP header extension must be a multiple of 4 bytes, got ${ext.data.length}`);
  const headerBytes = RTP_HEADER_BYTES + csrcs.length * 4 + (ext ? 4 + ext.data.length : 0);
  const unpadded = headerBytes + p.payload.length;
  const padTo = p.padTo ?? 0;
  const padding = padTo > 1 && unpadded % padTo !== 0 ? padTo - (unpadded % padTo) : 0;
  const out = new Uint8Array(unpadded + padding);
  const view = new DataView(out.buffer);
  out[0] = (RTP_VERSION << 6) | (padding ? FLAG_PADDING : 0) | (ext ? FLAG_EXTENSION : 0) | csrcs.length;
  out[1] = (p.marker ? FLAG_MARKER : 0) | p.payloadType;
  view.setUint16(2, p.sequenceNumber & 0xffff);
  view.setUint32(4, p.timestamp >>> 0);
  view.setUint32(8, p.ssrc >>> 0);
  let offset = RTP_HEADER_BYTES;
  for (const csrc of csrcs) {
    view.setUint32(offset, csrc >>> 0);
    offset += 4;
  }
  if (ext) {
    view.setUint16(offset, ext.profile);
    view.setUint16(offset + 2, ext.data.length / 4);
    out.set(ext.data, offset + 4);
    offset += 4 + ext.data.length;
  }
  out.set(p.payload, offset);
  if (padding) out[out.length - 1] = padding;
  return out;
}
