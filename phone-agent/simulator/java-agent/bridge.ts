/**
 * The bridge between the virtual phones (this Node process) and the host JVM that runs the real Java
 * agent behind them: one TCP connection per farm, frames of `type u8 | phone u16 | length u32 | payload`,
 * integers big-endian, strings a u16 byte length then UTF-8 (as on the agent link). The JVM side is
 * phone-agent/android/host/src/org/sip2wa/agent/host/BridgeFrame.java; the two type tables must agree.
 */

export const BRIDGE_HEADER_BYTES = 7;

/** Frames Node sends to the JVM. */
export const TO_JVM = {
  start: 1,
  stop: 2,
  info: 3,
  ringing: 5,
  connected: 6,
  ended: 7,
  incoming: 8,
  messageReceived: 9,
  messageSent: 10,
  audioDown: 11,
  /** The account's state (index into ACCOUNT_STATES), at start and on every change. */
  accountState: 12,
} as const;

/** Frames the JVM sends to Node. */
export const FROM_JVM = {
  started: 101,
  startFailed: 102,
  stopped: 103,
  infoRequest: 104,
  dial: 105,
  answer: 106,
  decline: 107,
  hangUp: 108,
  sendMessage: 109,
  audioUp: 110,
} as const;

export interface BridgeFrame {
  type: number;
  phone: number;
  payload: Buffer;
}

/** Builds one payload field by field. */
export class BridgeWriter {
  private readonly parts: Buffer[] = [];

  u8(v: number): this {
    this.parts.push(Buffer.from([v & 0xff]));
    return this;
  }

  u16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(v & 0xffff);
    this.parts.push(b);
    return this;
  }

  i16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(Math.max(-32768, Math.min(32767, Math.round(v))));
    this.parts.push(b);
    return this;
  }

  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    this.parts.push(b);
    return this;
  }

  u64(v: number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(v))));
    this.parts.push(b);
    return this;
  }

  str(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    return this.u16(bytes.length).bytes(bytes);
  }

  bytes(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  frame(type: number, phone: number): Buffer {
    const payload = Buffer.concat(this.parts);
    const header = Buffer.alloc(BRIDGE_HEADER_BYTES);
    header.writeUInt8(type, 0);
    header.writeUInt16BE(phone, 1);
    header.writeUInt32BE(payload.length, 3);
    return Buffer.concat([header, payload]);
  }
}

/** Reads one payload field by field. */
export class BridgeReader {
  private at = 0;

  constructor(private readonly payload: Buffer) {}

  u8(): number {
    return this.payload.readUInt8(this.at++);
  }

  u32(): number {
    const v = this.payload.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }

  u16(): number {
    const v = this.payload.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }

  str(): string {
    const n = this.u16();
    const s = this.payload.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }

  rest(): Buffer {
    const b = this.payload.subarray(this.at);
    this.at = this.payload.length;
    return b;
  }
}

/** Splits the bridge stream into frames, whatever the chunking. */
export class BridgeDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): BridgeFrame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: BridgeFrame[] = [];
    while (this.buffered.length >= BRIDGE_HEADER_BYTES) {
      const length = this.buffered.readUInt32BE(3);
      if (this.buffered.length < BRIDGE_HEADER_BYTES + length) break;
      out.push({
        type: this.buffered.readUInt8(0),
        phone: this.buffered.readUInt16BE(1),
        payload: this.buffered.subarray(BRIDGE_HEADER_BYTES, BRIDGE_HEADER_BYTES + length),
      });
      this.buffered = this.buffered.subarray(BRIDGE_HEADER_BYTES + length);
    }
    return out;
  }
}
