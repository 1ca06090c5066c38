/**
 * Deliberately broken frames, for the agent's `garbleNextFrame` test hook: each breaks exactly one rule
 * of the frame format, so a test can check that the station names the fault and drops the link.
 */
import { HEADER_BYTES, MAX_PAYLOAD_BYTES, MESSAGES } from '../../protocol';

export type GarbageKind = 'unknown-type' | 'bad-length' | 'oversize';

/** A frame id no message uses. */
const UNUSED_TYPE_ID = 0x7e;

export function garbageFrame(kind: GarbageKind): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  switch (kind) {
    case 'unknown-type':
      header.writeUInt8(UNUSED_TYPE_ID, 0);
      return header;
    case 'bad-length':
      // A pong carries a 4-byte nonce; three bytes cannot be one.
      header.writeUInt8(MESSAGES.pong.id, 0);
      header.writeUInt32BE(3, 2);
      return Buffer.concat([header, Buffer.from([0, 0, 1])]);
    case 'oversize':
      // Only the header: a receiver must refuse it without waiting for the payload.
      header.writeUInt8(MESSAGES.audio.id, 0);
      header.writeUInt32BE(MAX_PAYLOAD_BYTES + 4464, 2);
      return header;
  }
}
