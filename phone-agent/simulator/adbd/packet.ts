/**
 * ADB transport packets: the framing between the adb server (host) and adbd (device).
 *
 * ```
 * offset  size  field
 *      0     4  command      four ASCII letters read as a little-endian u32 ('CNXN' = 0x4e584e43)
 *      4     4  arg0         meaning depends on the command (version, local stream id...)
 *      8     4  arg1         (max payload, remote stream id...)
 *     12     4  data length  bytes of payload after the header
 *     16     4  data check   sum of the payload bytes (0 allowed from protocol version 0x01000001 on)
 *     20     4  magic        command ^ 0xffffffff
 *     24     n  payload
 * ```
 * See AOSP system/core/adb/protocol.txt.
 */

export enum AdbCommand {
  Connect = 'CNXN',
  Open = 'OPEN',
  Okay = 'OKAY',
  Write = 'WRTE',
  Close = 'CLSE',
  Auth = 'AUTH',
  Sync = 'SYNC',
  StartTls = 'STLS',
}

export interface AdbPacket {
  command: AdbCommand;
  arg0: number;
  arg1: number;
  data: Buffer;
}

export const HEADER_SIZE = 24;
/** The first protocol version; hosts of every era understand it. */
export const A_VERSION_MIN = 0x01000000;
/** From this version on, neither side needs to fill or check the data checksum. */
export const A_VERSION_SKIP_CHECKSUM = 0x01000001;
/** The largest payload any adb host sends (adb >= 28 announces 1 MiB); anything bigger is garbage. */
export const MAX_PAYLOAD_ANY_HOST = 1024 * 1024;

const CODE_OF = new Map<AdbCommand, number>(
  Object.values(AdbCommand).map((c) => [c, Buffer.from(c, 'ascii').readUInt32LE(0)]),
);
const COMMAND_OF = new Map<number, AdbCommand>([...CODE_OF].map(([c, n]) => [n, c]));

/** The ADB checksum: the plain sum of the payload bytes, modulo 2^32. */
export function dataChecksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i]!;
  return sum >>> 0;
}

export function encodePacket(packet: AdbPacket): Buffer {
  const code = CODE_OF.get(packet.command)!;
  const out = Buffer.allocUnsafe(HEADER_SIZE + packet.data.length);
  out.writeUInt32LE(code, 0);
  out.writeUInt32LE(packet.arg0 >>> 0, 4);
  out.writeUInt32LE(packet.arg1 >>> 0, 8);
  out.writeUInt32LE(packet.data.length, 12);
  // Always filled: costs little and keeps pre-0x01000001 hosts happy.
  out.writeUInt32LE(dataChecksum(packet.data), 16);
  out.writeUInt32LE((code ^ 0xffffffff) >>> 0, 20);
  packet.data.copy(out, HEADER_SIZE);
  return out;
}

/** Bytes that cannot be ADB packets: the connection that sent them must be dropped. */
export class AdbProtocolError extends Error {
  override name = 'AdbProtocolError';
}

export interface PacketReaderOptions {
  /** Whether payload checksums must match; false once the host negotiated A_VERSION_SKIP_CHECKSUM. */
  verifyChecksum?: () => boolean;
  maxPayload?: number;
}

/**
 * Turns a TCP byte stream into packets. Headers and payloads may arrive split or glued together;
 * the reader keeps what it has until a whole packet is there.
 */
export class PacketReader {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private header: { code: number; arg0: number; arg1: number; length: number; check: number } | null = null;

  constructor(private readonly options: PacketReaderOptions = {}) {}

  /** Feeds bytes; returns every packet they complete. Throws AdbProtocolError on garbage. */
  push(chunk: Buffer): AdbPacket[] {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const packets: AdbPacket[] = [];
    for (;;) {
      if (!this.header) {
        if (this.bufferedBytes < HEADER_SIZE) break;
        this.header = this.parseHeader(this.take(HEADER_SIZE));
      }
      if (this.bufferedBytes < this.header.length) break;
      const data = this.take(this.header.length);
      const { code, arg0, arg1, check } = this.header;
      this.header = null;
      const command = COMMAND_OF.get(code)!;
      if (this.options.verifyChecksum?.() && dataChecksum(data) !== check) {
        throw new AdbProtocolError(
          `${command} packet has data checksum 0x${check.toString(16)} but its ${data.length} bytes sum to 0x${dataChecksum(data).toString(16)}`,
        );
      }
      packets.push({ command, arg0, arg1, data });
    }
    return packets;
  }

  private parseHeader(h: Buffer): { code: number; arg0: number; arg1: number; length: number; check: number } {
    const code = h.readUInt32LE(0);
    const magic = h.readUInt32LE(20);
    if (!COMMAND_OF.has(code)) {
      throw new AdbProtocolError(`unknown ADB command 0x${code.toString(16).padStart(8, '0')} (${printable(h.subarray(0, 4))})`);
    }
    if (((code ^ 0xffffffff) >>> 0) !== magic) {
      throw new AdbProtocolError(`bad magic 0x${magic.toString(16)} for command ${COMMAND_OF.get(code)}: header is corrupt`);
    }
    const length = h.readUInt32LE(12);
    const max = this.options.maxPayload ?? MAX_PAYLOAD_ANY_HOST;
    if (length > max) {
      throw new AdbProtocolError(`${COMMAND_OF.get(code)} packet announces ${length} bytes of data, more than the ${max} allowed`);
    }
    return { code, arg0: h.readUInt32LE(4), arg1: h.readUInt32LE(8), length, check: h.readUInt32LE(16) };
  }

  private take(n: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered, this.bufferedBytes);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length ? [rest] : [];
    this.bufferedBytes = rest.length;
    return out;
  }
}

function printable(b: Buffer): string {
  return JSON.stringify(b.toString('latin1'));
}
