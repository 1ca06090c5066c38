import { describe, expect, it } from 'vitest';
import { AdbCommand, AdbProtocolError, PacketReader, encodePacket } from './packet';

describe('ADB packets', () => {
  it('encodes the 24-byte little-endian header', () => {
    const bytes = encodePacket({ command: AdbCommand.Okay, arg0: 1, arg1: 0x0a0b0c0d, data: Buffer.from([1, 2, 250]) });
    expect(bytes.subarray(0, 24)).toEqual(
      Buffer.from([
        0x4f, 0x4b, 0x41, 0x59, // command 'OKAY'
        0x01, 0x00, 0x00, 0x00, // arg0 = 1
        0x0d, 0x0c, 0x0b, 0x0a, // arg1
        0x03, 0x00, 0x00, 0x00, // data length 3
        0xfd, 0x00, 0x00, 0x00, // checksum 1 + 2 + 250 = 253
        0xb0, 0xb4, 0xbe, 0xa6, // magic = 'OKAY' ^ 0xffffffff
      ]),
    );
    expect(bytes.subarray(24)).toEqual(Buffer.from([1, 2, 250]));
  });

  it('reads packets split at any byte and glued together', () => {
    const a = encodePacket({ command: AdbCommand.Open, arg0: 5, arg1: 0, data: Buffer.from('shell:ls\0') });
    const b = encodePacket({ command: AdbCommand.Close, arg0: 5, arg1: 9, data: Buffer.alloc(0) });
    const all = Buffer.concat([a, b]);
    const reader = new PacketReader();
    const got = [];
    for (let i = 0; i < all.length; i++) got.push(...reader.push(all.subarray(i, i + 1)));
    expect(got.map((p) => p.command)).toEqual([AdbCommand.Open, AdbCommand.Close]);
    expect(got[0]!.data.toString()).toBe('shell:ls\0');
    expect(new PacketReader().push(all)).toHaveLength(2);
  });

  it('rejects garbage with the reason', () => {
    expect(() => new PacketReader().push(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'))).toThrow(
      /unknown ADB command .*"GET "/,
    );
    const bad = encodePacket({ command: AdbCommand.Write, arg0: 1, arg1: 1, data: Buffer.from('x') });
    bad.writeUInt32LE(0, 20);
    expect(() => new PacketReader().push(bad)).toThrow(AdbProtocolError);
    const huge = encodePacket({ command: AdbCommand.Write, arg0: 1, arg1: 1, data: Buffer.alloc(0) });
    huge.writeUInt32LE(2 * 1024 * 1024, 12);
    expect(() => new PacketReader().push(huge)).toThrow(/more than the 1048576 allowed/);
  });

  it('checks checksums only when asked (old protocol versions)', () => {
    const p = encodePacket({ command: AdbCommand.Write, arg0: 1, arg1: 1, data: Buffer.from('abc') });
    p.writeUInt32LE(0, 16);
    expect(new PacketReader({ verifyChecksum: () => false }).push(p)).toHaveLength(1);
    expect(() => new PacketReader({ verifyChecksum: () => true }).push(p)).toThrow(/checksum/);
  });
});
