/**
 * Field encodings of the agent protocol (PROTOCOL.md, "Field encodings"): one entry per field kind that
 * knows its wire size, how to write a value and how to read one back. Integers are big-endian; strings
 * are a u16 byte length then UTF-8; pcm takes the rest of the payload. Values are checked on both sides
 * so a bad value fails where it was made, not on the phone.
 */
import type { FieldKind, FieldSpec } from './messages';
import { ProtocolError } from './protocol-error';

/** Reads fields off one payload, tracking the offset and the frame name for error messages. */
export class PayloadReader {
  offset = 0;

  constructor(
    readonly payload: Buffer,
    readonly frame: string,
  ) {}

  take(field: string, bytes: number): Buffer {
    if (this.offset + bytes > this.payload.length) {
      throw new ProtocolError(
        'bad-length',
        `frame '${this.frame}' field '${field}' needs ${bytes} bytes at offset ${this.offset}, ` +
          `but the payload has ${this.payload.length} bytes`,
      );
    }
    const slice = this.payload.subarray(this.offset, this.offset + bytes);
    this.offset += bytes;
    return slice;
  }

  get remaining(): number {
    return this.payload.length - this.offset;
  }
}

interface KindCodec {
  /** Wire size of the value, or of the fixed part when the field is variable-sized. */
  size(value: unknown, field: FieldSpec, frame: string): number;
  /** Fixed wire size, or null when it depends on the value. */
  readonly fixedSize: number | null;
  write(buf: Buffer, offset: number, value: unknown, field: FieldSpec): number;
  read(reader: PayloadReader, field: FieldSpec): unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function badField(frame: string, field: string, why: string): ProtocolError {
  return new ProtocolError('bad-field', `frame '${frame}' field '${field}' ${why}`);
}

function checkInt(value: unknown, min: number, max: number, field: FieldSpec, frame: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badField(frame, field.name, `is ${String(value)}, expected an integer ${min}..${max}`);
  }
  return value;
}

function intCodec(bytes: 1 | 2 | 4, signed: boolean): KindCodec {
  const bits = bytes * 8;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return {
    fixedSize: bytes,
    size: (value, field, frame) => (checkInt(value, min, max, field, frame), bytes),
    write: (buf, offset, value) =>
      signed ? buf.writeIntBE(value as number, offset, bytes) : buf.writeUIntBE(value as number, offset, bytes),
    read: (reader, field) => {
      const slice = reader.take(field.name, bytes);
      return signed ? slice.readIntBE(0, bytes) : slice.readUIntBE(0, bytes);
    },
  };
}

function enumValues(field: FieldSpec): readonly string[] {
  return 'values' in field ? field.values : [];
}

function magicOf(field: FieldSpec): string {
  return 'magic' in field ? field.magic : '';
}

export const FIELD_CODECS: Record<FieldKind, KindCodec> = {
  magic: {
    fixedSize: 4,
    size: () => 4,
    write: (buf, offset, _value, field) => offset + buf.write(magicOf(field), offset, 'latin1'),
    read: (reader, field) => {
      const got = reader.take(field.name, 4);
      if (got.toString('latin1') !== magicOf(field)) {
        throw new ProtocolError(
          'bad-magic',
          `frame '${reader.frame}' starts with ${got.toString('hex')}, expected the magic "${magicOf(field)}"`,
        );
      }
      return undefined;
    },
  },
  u8: intCodec(1, false),
  u16: intCodec(2, false),
  i16: intCodec(2, true),
  u32: intCodec(4, false),
  bool: {
    fixedSize: 1,
    size: (value, field, frame) => {
      if (typeof value !== 'boolean') throw badField(frame, field.name, `is ${String(value)}, expected a boolean`);
      return 1;
    },
    write: (buf, offset, value) => buf.writeUInt8(value ? 1 : 0, offset),
    read: (reader, field) => {
      const byte = reader.take(field.name, 1)[0];
      if (byte !== 0 && byte !== 1) throw badField(reader.frame, field.name, `is ${byte}, expected 0 or 1`);
      return byte === 1;
    },
  },
  u64: {
    fixedSize: 8,
    size: (value, field, frame) => (checkInt(value, 0, Number.MAX_SAFE_INTEGER, field, frame), 8),
    write: (buf, offset, value) => buf.writeBigUInt64BE(BigInt(value as number), offset),
    read: (reader, field) => {
      const value = reader.take(field.name, 8).readBigUInt64BE(0);
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw badField(reader.frame, field.name, `is ${value}, beyond the safe integer range of the station`);
      }
      return Number(value);
    },
  },
  str: {
    fixedSize: null,
    size: (value, field, frame) => {
      if (typeof value !== 'string') throw badField(frame, field.name, `is ${typeof value}, expected a string`);
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes > 0xffff) throw badField(frame, field.name, `is ${bytes} UTF-8 bytes, the limit is 65535`);
      return 2 + bytes;
    },
    write: (buf, offset, value) => {
      const written = buf.write(value as string, offset + 2, 'utf8');
      buf.writeUInt16BE(written, offset);
      return offset + 2 + written;
    },
    read: (reader, field) => {
      const length = reader.take(field.name, 2).readUInt16BE(0);
      const bytes = reader.take(field.name, length);
      try {
        return utf8.decode(bytes);
      } catch {
        throw badField(reader.frame, field.name, `is not valid UTF-8 (${bytes.toString('hex')})`);
      }
    },
  },
  enum: {
    fixedSize: 1,
    size: (value, field, frame) => {
      const values = enumValues(field);
      if (typeof value !== 'string' || !values.includes(value)) {
        throw badField(frame, field.name, `is ${String(value)}, expected one of ${values.join(', ')}`);
      }
      return 1;
    },
    write: (buf, offset, value, field) => buf.writeUInt8(enumValues(field).indexOf(value as string), offset),
    read: (reader, field) => {
      const index = reader.take(field.name, 1)[0] ?? 0;
      const values = enumValues(field);
      const value = values[index];
      if (value === undefined) {
        throw badField(reader.frame, field.name, `has index ${index}, but only 0..${values.length - 1} are defined`);
      }
      return value;
    },
  },
  pcm: {
    fixedSize: null,
    size: (value, field, frame) => {
      if (!Buffer.isBuffer(value)) throw badField(frame, field.name, 'is not a Buffer');
      if (value.length % 2 !== 0) {
        throw badField(frame, field.name, `has ${value.length} bytes, expected whole 16-bit samples`);
      }
      return value.length;
    },
    write: (buf, offset, value) => offset + (value as Buffer).copy(buf, offset),
    read: (reader, field) => {
      if (reader.remaining % 2 !== 0) {
        throw new ProtocolError(
          'bad-length',
          `frame '${reader.frame}' field '${field.name}' has ${reader.remaining} bytes, expected whole 16-bit samples`,
        );
      }
      return reader.take(field.name, reader.remaining);
    },
  },
};

/** Smallest payload a message can have: its fixed fields plus the length prefix of each string. */
export function minPayloadBytes(fields: readonly FieldSpec[]): number {
  return fields.reduce((sum, f) => sum + (FIELD_CODECS[f.kind].fixedSize ?? (f.kind === 'str' ? 2 : 0)), 0);
}

/** Exact payload size when every field is fixed-size, else null. */
export function fixedPayloadBytes(fields: readonly FieldSpec[]): number | null {
  return fields.every((f) => FIELD_CODECS[f.kind].fixedSize !== null) ? minPayloadBytes(fields) : null;
}
