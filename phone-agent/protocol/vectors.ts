/**
 * Loader for the shared protocol test vectors in `vectors/*.json`. The same files pin the Java agent, so
 * their format is plain JSON: `bytes` is a list of `"hex bytes | comment"` lines, `message` is the decoded
 * form with Buffers written as base64, `error` names the ProtocolError code the bytes must raise.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MESSAGES, isMessageType, type AgentMessage, type Direction } from './messages';
import { isProtocolErrorCode, type ProtocolErrorCode } from './protocol-error';

export const VECTORS_DIR = fileURLToPath(new URL('./vectors', import.meta.url));

const DIRECTIONS: readonly Direction[] = ['station-to-agent', 'agent-to-station', 'both'];

interface VectorBase {
  /** File name without `.json`. */
  file: string;
  name: string;
  direction: Direction;
  bytes: Buffer;
}

export type ProtocolVector =
  | (VectorBase & { kind: 'message'; message: AgentMessage })
  | (VectorBase & { kind: 'error'; errorCode: ProtocolErrorCode });

class VectorFormatError extends Error {
  constructor(file: string, path: string, why: string) {
    super(`protocol vector ${file}: ${path} ${why}`);
    this.name = 'VectorFormatError';
  }
}

/** Parses `["01 | type ping", "00 00 00 04 | length 4"]` into bytes; the text after `|` is a comment. */
export function parseVectorBytes(lines: readonly string[], file = '(inline)'): Buffer {
  const bytes: number[] = [];
  lines.forEach((line, i) => {
    const hexPart = line.split('|', 1)[0]?.trim() ?? '';
    for (const token of hexPart.split(/\s+/).filter(Boolean)) {
      if (!/^[0-9a-fA-F]{2}$/.test(token)) {
        throw new VectorFormatError(file, `bytes[${i}]`, `has "${token}", expected two hex digits per byte`);
      }
      bytes.push(parseInt(token, 16));
    }
  });
  return Buffer.from(bytes);
}

/** Converts a decoded message from its JSON form (pcm as base64) into an AgentMessage. */
export function messageFromJson(json: unknown, file = '(inline)'): AgentMessage {
  if (typeof json !== 'object' || json === null) throw new VectorFormatError(file, 'message', 'is not an object');
  const record = json as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !isMessageType(type)) {
    throw new VectorFormatError(file, 'message.type', `is ${JSON.stringify(type)}, not a known message type`);
  }
  const out: Record<string, unknown> = { ...record };
  for (const field of MESSAGES[type].fields) {
    if (field.kind !== 'pcm') continue;
    const value = record[field.name];
    if (typeof value !== 'string') throw new VectorFormatError(file, `message.${field.name}`, 'must be a base64 string');
    out[field.name] = Buffer.from(value, 'base64');
  }
  return out as AgentMessage;
}

/** The JSON form of a message: Buffers as base64, everything else unchanged. */
export function messageToJson(msg: AgentMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(msg)) out[key] = Buffer.isBuffer(value) ? value.toString('base64') : value;
  return out;
}

export function parseVector(file: string, json: unknown): ProtocolVector {
  if (typeof json !== 'object' || json === null) throw new VectorFormatError(file, '(root)', 'is not an object');
  const v = json as Record<string, unknown>;
  if (typeof v.name !== 'string' || v.name === '') throw new VectorFormatError(file, 'name', 'must be a non-empty string');
  const direction = v.direction as Direction;
  if (!DIRECTIONS.includes(direction)) {
    throw new VectorFormatError(file, 'direction', `is ${JSON.stringify(v.direction)}, expected ${DIRECTIONS.join(' | ')}`);
  }
  if (!Array.isArray(v.bytes) || !v.bytes.every((l) => typeof l === 'string')) {
    throw new VectorFormatError(file, 'bytes', 'must be an array of "hex | comment" strings');
  }
  const base = { file, name: v.name, direction, bytes: parseVectorBytes(v.bytes as string[], file) };
  if ((v.message === undefined) === (v.error === undefined)) {
    throw new VectorFormatError(file, '(root)', 'must have exactly one of "message" and "error"');
  }
  if (v.message !== undefined) return { ...base, kind: 'message', message: messageFromJson(v.message, file) };
  const code = (v.error as { code?: unknown } | null)?.code;
  if (!isProtocolErrorCode(code)) throw new VectorFormatError(file, 'error.code', `is ${JSON.stringify(code)}, not a ProtocolError code`);
  return { ...base, kind: 'error', errorCode: code };
}

/** Every vector in the folder, sorted by file name. */
export function loadVectors(dir = VECTORS_DIR): ProtocolVector[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = f.slice(0, -'.json'.length);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      } catch (err) {
        throw new VectorFormatError(file, '(file)', `is not valid JSON: ${(err as Error).message}`);
      }
      return parseVector(file, json);
    });
}
