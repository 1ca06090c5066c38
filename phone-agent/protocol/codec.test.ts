import { describe, it, expect } from 'vitest';
import { FrameDecoder, encodeMessage } from './codec';
import { MESSAGES, PROTOCOL_VERSION, type AgentMessage, type MessageType } from './messages';
import { PROTOCOL_ERROR_CODES, ProtocolError } from './protocol-error';
import { loadVectors, type ProtocolVector } from './vectors';

const vectors = loadVectors();
const messageVectors = vectors.filter((v): v is Extract<ProtocolVector, { kind: 'message' }> => v.kind === 'message');
const errorVectors = vectors.filter((v): v is Extract<ProtocolVector, { kind: 'error' }> => v.kind === 'error');

/** Decodes a whole stream and asserts it ended on a frame boundary. */
function decodeAll(bytes: Buffer, chunk = bytes.length): AgentMessage[] {
  const decoder = new FrameDecoder();
  const out: AgentMessage[] = [];
  for (let i = 0; i < bytes.length; i += Math.max(chunk, 1)) out.push(...decoder.push(bytes.subarray(i, i + chunk)));
  decoder.end();
  expect(decoder.idle).toBe(true);
  return out;
}

function errorOf(bytes: Buffer, chunk: number): ProtocolError {
  const decoder = new FrameDecoder();
  try {
    for (let i = 0; i < bytes.length; i += chunk) decoder.push(bytes.subarray(i, i + chunk));
    decoder.end();
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
  throw new Error('the bytes decoded without a ProtocolError');
}

describe('protocol vectors', () => {
  it('cover every message type and every error code', () => {
    const types = new Set(messageVectors.map((v) => v.message.type));
    expect([...types].sort()).toEqual((Object.keys(MESSAGES) as MessageType[]).sort());
    expect(new Set(errorVectors.map((v) => v.errorCode))).toEqual(new Set(PROTOCOL_ERROR_CODES));
  });

  describe.each(messageVectors.map((v) => [v.file, v] as const))('%s', (_file, vector) => {
    it('decodes to its message, consuming every byte', () => {
      expect(decodeAll(vector.bytes)).toEqual([vector.message]);
    });

    it('decodes the same when fed byte by byte', () => {
      expect(decodeAll(vector.bytes, 1)).toEqual([vector.message]);
    });

    it('encodes back to exactly its bytes', () => {
      expect(encodeMessage(vector.message).toString('hex')).toBe(vector.bytes.toString('hex'));
    });
  });

  describe.each(errorVectors.map((v) => [v.file, v] as const))('%s', (_file, vector) => {
    it(`raises ${vector.errorCode}, whole or byte by byte`, () => {
      const whole = errorOf(vector.bytes, vector.bytes.length);
      expect(whole.code).toBe(vector.errorCode);
      expect(errorOf(vector.bytes, 1).code).toBe(vector.errorCode);
    });
  });
});

describe('FrameDecoder', () => {
  it('splits a stream of many frames delivered in odd chunks', () => {
    const stream = Buffer.concat(messageVectors.map((v) => v.bytes));
    const expected = messageVectors.map((v) => v.message);
    for (const chunk of [1, 3, 7, 64, 1000]) expect(decodeAll(stream, chunk)).toEqual(expected);
  });

  it('names what failed and why', () => {
    const msg = (hex: string) => errorOf(Buffer.from(hex.replace(/ /g, ''), 'hex'), 100).message;
    expect(msg('7e 00 00000000')).toBe('frame type 0x7e is unknown');
    expect(msg('01 00 00000003 000000')).toBe("frame 'ping' has 3 payload bytes, expected 4");
    expect(msg('80 00 00011170')).toBe('frame of 70000 bytes exceeds the 65536-byte limit');
    expect(msg('01 00 00000004')).toBe("stream ended inside frame 'ping' (got 6 of 10 bytes)");
  });

  it('rejects an oversize length from the header alone, without waiting for the payload', () => {
    const decoder = new FrameDecoder();
    expect(() => decoder.push(Buffer.from('80 00 ff ff ff ff'.replace(/ /g, ''), 'hex'))).toThrow(/4294967295 bytes/);
  });

  it('keeps failing after garbage, so the link cannot resync on a wrong boundary', () => {
    const decoder = new FrameDecoder();
    expect(() => decoder.push(Buffer.from('7e0000000000', 'hex'))).toThrow(ProtocolError);
    expect(() => decoder.push(encodeMessage({ type: 'ping', nonce: 1 }))).toThrow(/0x7e/);
  });
});

describe('encodeMessage', () => {
  it('refuses values the wire cannot carry, naming the field', () => {
    const bad = (msg: unknown) => () => encodeMessage(msg as AgentMessage);
    expect(bad({ type: 'ping', nonce: -1 })).toThrow("frame 'ping' field 'nonce' is -1, expected an integer 0..4294967295");
    expect(bad({ type: 'call-ended', callId: 1, outcome: 'gone' })).toThrow(/field 'outcome' is gone/);
    expect(bad({ type: 'audio', seq: 0, timestamp: 0, pcm: Buffer.alloc(3) })).toThrow(/whole 16-bit samples/);
    expect(bad({ type: 'audio', seq: 0, timestamp: 0, pcm: Buffer.alloc(65536) })).toThrow(/exceeds the 65536-byte limit/);
    expect(bad({ type: 'dial', callId: 1, number: 'x'.repeat(70000) })).toThrow(/limit is 65535/);
  });

  it('writes the hello magic and the current version', () => {
    const frame = encodeMessage({ type: 'hello', version: PROTOCOL_VERSION, software: '' });
    expect(frame.subarray(6, 10).toString('latin1')).toBe('S2WA');
    expect(frame.readUInt16BE(10)).toBe(3);
  });

  it('round-trips the largest audio payload', () => {
    const pcm = Buffer.alloc(65536 - 8, 0x5a);
    expect(decodeAll(encodeMessage({ type: 'audio', seq: 9, timestamp: 10, pcm }))).toEqual([
      { type: 'audio', seq: 9, timestamp: 10, pcm },
    ]);
  });
});
