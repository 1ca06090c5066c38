/**
 * Frames on the agent link (PROTOCOL.md, "Frames"): a 6-byte header `type u8 | flags u8 | length u32`,
 * then the payload. Both directions are driven by the message table in `messages.ts`; nothing here knows
 * a message by name except through that table.
 */
import {
  HEADER_BYTES,
  MAX_PAYLOAD_BYTES,
  MESSAGES,
  MESSAGE_TYPE_BY_ID,
  type AgentMessage,
  type FieldSpec,
  type MessageType,
} from './messages';
import { FIELD_CODECS, PayloadReader, fixedPayloadBytes, minPayloadBytes } from './fields';
import { ProtocolError } from './protocol-error';

/** Flags are reserved (0 in every version so far): senders write 0, receivers reject anything else. */
export const FRAME_FLAGS_NONE = 0;

function fieldsOf(type: MessageType): readonly FieldSpec[] {
  return MESSAGES[type].fields;
}

function hex(id: number): string {
  return `0x${id.toString(16).padStart(2, '0')}`;
}

/** Encodes one message as one frame (header and payload in a single Buffer). */
export function encodeMessage(msg: AgentMessage): Buffer {
  const spec = MESSAGES[msg.type];
  if (spec === undefined) throw new ProtocolError('unknown-type', `message type '${String(msg.type)}' is unknown`);
  const values = msg as unknown as Record<string, unknown>;
  let length = 0;
  for (const field of spec.fields) length += FIELD_CODECS[field.kind].size(values[field.name], field, msg.type);
  if (length > MAX_PAYLOAD_BYTES) {
    throw new ProtocolError(
      'oversize',
      `frame '${msg.type}' of ${length} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`,
    );
  }
  const frame = Buffer.alloc(HEADER_BYTES + length);
  frame.writeUInt8(spec.id, 0);
  frame.writeUInt8(FRAME_FLAGS_NONE, 1);
  frame.writeUInt32BE(length, 2);
  let offset = HEADER_BYTES;
  for (const field of spec.fields) offset = FIELD_CODECS[field.kind].write(frame, offset, values[field.name], field);
  return frame;
}

/** Decodes one complete payload of a known type; every byte must belong to a field. */
export function decodePayload(type: MessageType, payload: Buffer): AgentMessage {
  const reader = new PayloadReader(payload, type);
  const msg: Record<string, unknown> = { type };
  for (const field of fieldsOf(type)) {
    const value = FIELD_CODECS[field.kind].read(reader, field);
    if (field.kind !== 'magic') msg[field.name] = value;
  }
  if (reader.remaining > 0) {
    throw new ProtocolError(
      'bad-length',
      `frame '${type}' has ${reader.remaining} bytes left after its last field (payload ${payload.length} bytes)`,
    );
  }
  return msg as AgentMessage;
}

/** What the header says, checked before any payload byte is buffered. */
interface FrameHeader {
  type: MessageType;
  length: number;
}

function parseHeader(header: Buffer): FrameHeader {
  const id = header.readUInt8(0);
  const flags = header.readUInt8(1);
  const length = header.readUInt32BE(2);
  const type = MESSAGE_TYPE_BY_ID.get(id);
  if (type === undefined) throw new ProtocolError('unknown-type', `frame type ${hex(id)} is unknown`);
  if (flags !== FRAME_FLAGS_NONE) {
    throw new ProtocolError('bad-flags', `frame '${type}' has flags ${hex(flags)}, but they are reserved as 0x00`);
  }
  // Rejected from the header alone, so a garbage length never makes the decoder wait for (or allocate) 4 GB.
  if (length > MAX_PAYLOAD_BYTES) {
    throw new ProtocolError('oversize', `frame of ${length} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`);
  }
  const fields = fieldsOf(type);
  const fixed = fixedPayloadBytes(fields);
  if (fixed !== null && length !== fixed) {
    throw new ProtocolError('bad-length', `frame '${type}' has ${length} payload bytes, expected ${fixed}`);
  }
  const min = minPayloadBytes(fields);
  if (length < min) {
    throw new ProtocolError('bad-length', `frame '${type}' has ${length} payload bytes, expected at least ${min}`);
  }
  return { type, length };
}

/**
 * Streaming decoder: feed it whatever the socket delivers (any chunking, down to single bytes) and it
 * returns the complete messages. After a ProtocolError the stream is unusable and every later push
 * throws the same error: the caller is expected to close the link.
 */
export class FrameDecoder {
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerGot = 0;
  private current: FrameHeader | null = null;
  private payload: Buffer | null = null;
  private payloadGot = 0;
  private failure: ProtocolError | null = null;

  push(chunk: Buffer): AgentMessage[] {
    if (this.failure) throw this.failure;
    try {
      return this.consume(chunk);
    } catch (err) {
      if (err instanceof ProtocolError) this.failure = err;
      throw err;
    }
  }

  /** Call when the stream ended: throws if it ended inside a frame. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.headerGot === 0) return;
    const total = this.current ? HEADER_BYTES + this.current.length : HEADER_BYTES;
    const got = this.headerGot + this.payloadGot;
    const what = this.current ? `frame '${this.current.type}'` : 'a frame header';
    this.failure = new ProtocolError('truncated', `stream ended inside ${what} (got ${got} of ${total} bytes)`);
    throw this.failure;
  }

  /** True when no partial frame is buffered. */
  get idle(): boolean {
    return this.headerGot === 0;
  }

  private consume(chunk: Buffer): AgentMessage[] {
    const out: AgentMessage[] = [];
    let offset = 0;
    while (offset < chunk.length || this.frameComplete()) {
      if (this.current === null) {
        const n = Math.min(HEADER_BYTES - this.headerGot, chunk.length - offset);
        chunk.copy(this.header, this.headerGot, offset, offset + n);
        this.headerGot += n;
        offset += n;
        if (this.headerGot < HEADER_BYTES) break;
        this.current = parseHeader(this.header);
        // Each frame gets its own payload buffer, so decoded pcm can point into it without copying.
        this.payload = Buffer.alloc(this.current.length);
        this.payloadGot = 0;
      }
      if (this.payload && this.payloadGot < this.payload.length) {
        const n = Math.min(this.payload.length - this.payloadGot, chunk.length - offset);
        chunk.copy(this.payload, this.payloadGot, offset, offset + n);
        this.payloadGot += n;
        offset += n;
      }
      if (!this.frameComplete() || this.current === null || this.payload === null) break;
      out.push(decodePayload(this.current.type, this.payload));
      this.current = null;
      this.payload = null;
      this.headerGot = 0;
      this.payloadGot = 0;
    }
    return out;
  }

  private frameComplete(): boolean {
    return this.current !== null && this.payload !== null && this.payloadGot === this.payload.length;
  }
}
