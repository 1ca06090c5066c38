/**
 * `sync:`, the file transfer service (AOSP adb SYNC.TXT), version 1.
 *
 * Every request is a 4-letter id, a u32 LE length and that many bytes (a path, for SEND `path,mode`).
 * ```
 * STAT path -> "STAT" mode size mtime           (all zero when the path does not exist)
 * LIST path -> "DENT" mode size mtime namelen name ...  then "DONE" + 16 zero bytes
 * SEND path,mode -> host sends "DATA" len bytes ... "DONE" mtime -> we answer "OKAY" 0 or "FAIL" len msg
 * RECV path -> "DATA" len bytes ... "DONE" 0, or "FAIL" len msg
 * QUIT      -> the session ends
 * ```
 */
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../../electron/station/util/log';
import { ByteReader } from '../byte-reader';
import type { StreamHandler } from '../device-connection';
import type { MemoryFs } from '../memory-fs';

/** Largest DATA chunk either side may send. */
export const SYNC_DATA_MAX = 64 * 1024;
/** adbd refuses longer paths. */
const SYNC_PATH_MAX = 1024;

class SyncFailure extends Error {}

export function syncService(fs: MemoryFs, log: Logger): StreamHandler {
  return (stream: Duplex) => {
    void new SyncSession(stream, fs, log).run();
  };
}

class SyncSession {
  private readonly reader: ByteReader;

  constructor(
    private readonly stream: Duplex,
    private readonly fs: MemoryFs,
    private readonly log: Logger,
  ) {
    this.reader = new ByteReader(stream);
  }

  async run(): Promise<void> {
    try {
      while (await this.serveOne());
    } catch (err) {
      // A failed request ends the session as adbd does; the host reads the FAIL and reports it.
      const message = (err as Error).message;
      this.log.debug(`sync session ends: ${message}`);
      if (err instanceof SyncFailure) await this.write(failPacket(message));
    }
    this.stream.end();
  }

  /** Serves one request; false when the session is over. */
  private async serveOne(): Promise<boolean> {
    const header = await this.reader.read(8);
    if (!header) return false;
    const id = header.toString('latin1', 0, 4);
    const length = header.readUInt32LE(4);
    if (id === 'QUIT') return false;
    if (length > SYNC_PATH_MAX) throw new SyncFailure(`path too long (${length} bytes, limit ${SYNC_PATH_MAX})`);
    const arg = await this.reader.read(length);
    if (!arg) return false;
    const text = arg.toString('utf8');
    switch (id) {
      case 'STAT':
        await this.write(this.statReply(text));
        return true;
      case 'LIST':
        await this.list(text);
        return true;
      case 'SEND':
        await this.receiveFile(text);
        return true;
      case 'RECV':
        await this.sendFile(text);
        return true;
      default:
        throw new SyncFailure(`unknown sync request ${JSON.stringify(id)}`);
    }
  }

  private statReply(path: string): Buffer {
    const e = this.fs.stat(path);
    const out = Buffer.alloc(16);
    out.write('STAT', 0, 'latin1');
    out.writeUInt32LE(e?.mode ?? 0, 4);
    out.writeUInt32LE(e?.size ?? 0, 8);
    out.writeUInt32LE(e?.mtime ?? 0, 12);
    return out;
  }

  private async list(path: string): Promise<void> {
    for (const e of this.fs.list(path) ?? []) {
      const name = Buffer.from(e.name, 'utf8');
      const dent = Buffer.alloc(20);
      dent.write('DENT', 0, 'latin1');
      dent.writeUInt32LE(e.mode, 4);
      dent.writeUInt32LE(e.size, 8);
      dent.writeUInt32LE(e.mtime, 12);
      dent.writeUInt32LE(name.length, 16);
      await this.write(Buffer.concat([dent, name]));
    }
    const done = Buffer.alloc(20);
    done.write('DONE', 0, 'latin1');
    await this.write(done);
  }

  private async receiveFile(spec: string): Promise<void> {
    // "path,mode": the path itself may contain commas, the mode (decimal) never does.
    const comma = spec.lastIndexOf(',');
    const path = comma >= 0 ? spec.slice(0, comma) : spec;
    const mode = comma >= 0 ? Number.parseInt(spec.slice(comma + 1), 10) || 0o644 : 0o644;
    const chunks: Buffer[] = [];
    for (;;) {
      const h = await this.reader.read(8);
      if (!h) throw new Error(`host closed the stream while pushing ${path}`);
      const id = h.toString('latin1', 0, 4);
      const n = h.readUInt32LE(4);
      if (id === 'DONE') {
        try {
          this.fs.writeFile(path, Buffer.concat(chunks), mode, n);
        } catch (err) {
          throw new SyncFailure((err as Error).message);
        }
        this.log.debug(`received ${path} (${chunks.reduce((s, c) => s + c.length, 0)} bytes)`);
        await this.write(okayPacket());
        return;
      }
      if (id !== 'DATA') throw new SyncFailure(`expected DATA or DONE while pushing ${path}, got ${JSON.stringify(id)}`);
      if (n > SYNC_DATA_MAX) throw new SyncFailure(`DATA chunk of ${n} bytes exceeds the ${SYNC_DATA_MAX} limit`);
      const data = await this.reader.read(n);
      if (!data) throw new Error(`host closed the stream while pushing ${path}`);
      chunks.push(Buffer.from(data));
    }
  }

  private async sendFile(path: string): Promise<void> {
    const data = this.fs.readFile(path);
    if (!data) {
      throw new SyncFailure(this.fs.stat(path) ? `${path}: Is a directory` : `${path}: No such file or directory`);
    }
    for (let off = 0; off < data.length; off += SYNC_DATA_MAX) {
      const piece = data.subarray(off, off + SYNC_DATA_MAX);
      const h = Buffer.alloc(8);
      h.write('DATA', 0, 'latin1');
      h.writeUInt32LE(piece.length, 4);
      await this.write(Buffer.concat([h, piece]));
    }
    const done = Buffer.alloc(8);
    done.write('DONE', 0, 'latin1');
    await this.write(done);
  }

  /** Writes and waits for room, so a big RECV does not pile up in memory ahead of ADB flow control. */
  private async write(data: Buffer): Promise<void> {
    if (!this.stream.write(data)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
      });
    }
  }
}

function okayPacket(): Buffer {
  const b = Buffer.alloc(8);
  b.write('OKAY', 0, 'latin1');
  return b;
}

function failPacket(message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const h = Buffer.alloc(8);
  h.write('FAIL', 0, 'latin1');
  h.writeUInt32LE(text.length, 4);
  return Buffer.concat([h, text]);
}
