/**
 * One ADB stream (an OPENed service) seen by a service as an ordinary `stream.Duplex`.
 *
 * ADB flow control is one WRTE in flight per stream: after sending a WRTE we wait for the host's OKAY
 * before the next one, and we OKAY the host's WRTE only once the service has room for more (so a slow
 * service slows the host down instead of buffering without bound). ADB has no half-close: ending the
 * writable side closes the whole stream with CLSE.
 */
import { Duplex } from 'node:stream';

/** What a stream needs from its connection: sending packets addressed to this stream. */
export interface StreamTransport {
  /** The current payload limit negotiated with the host. */
  readonly maxData: number;
  sendWrite(localId: number, remoteId: number, data: Buffer): void;
  sendOkay(localId: number, remoteId: number): void;
  sendClose(localId: number, remoteId: number): void;
  /** The stream is finished; forget its ids. */
  release(localId: number): void;
}

export class AdbStream extends Duplex {
  /** Pieces of the current write still to send, each at most maxData bytes. */
  private pending: Buffer[] = [];
  private pendingCallback: ((error?: Error | null) => void) | null = null;
  private awaitingOkay = false;
  /** An OKAY we owe the host, held back while the reader is saturated. */
  private okayOwed = false;
  private adbClosed = false;

  constructor(
    readonly localId: number,
    readonly remoteId: number,
    readonly service: string,
    private readonly transport: StreamTransport,
  ) {
    // No half-open streams: once the host closes, our writable side ends too (ADB has no half-close).
    super({ allowHalfOpen: false });
  }

  /** The host sent WRTE for this stream. */
  handleWrite(data: Buffer): void {
    if (this.adbClosed) return;
    if (this.push(data)) this.transport.sendOkay(this.localId, this.remoteId);
    else this.okayOwed = true;
  }

  /** The host acknowledged our last WRTE. */
  handleOkay(): void {
    if (!this.awaitingOkay) return; // the OKAY answering OPEN's reply, or a duplicate: nothing to release
    this.awaitingOkay = false;
    this.sendNextPiece();
  }

  /** The host closed the stream (CLSE) or the whole connection went away. */
  handleRemoteClose(): void {
    if (this.adbClosed) return;
    this.adbClosed = true;
    this.transport.release(this.localId);
    this.finishPendingWrite();
    this.push(null);
  }

  override _read(): void {
    if (this.okayOwed && !this.adbClosed) {
      this.okayOwed = false;
      this.transport.sendOkay(this.localId, this.remoteId);
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.adbClosed) {
      // The host is gone; like writing into a socket whose peer hung up, the bytes are lost. Not an
      // error event: services are often mid-write when a phone is unplugged.
      callback();
      return;
    }
    const max = Math.max(1, this.transport.maxData);
    for (let off = 0; off < chunk.length; off += max) this.pending.push(chunk.subarray(off, off + max));
    this.pendingCallback = callback;
    this.sendNextPiece();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.closeLocally();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.closeLocally();
    this.finishPendingWrite();
    callback(error);
  }

  private sendNextPiece(): void {
    if (this.awaitingOkay || this.adbClosed) return;
    const piece = this.pending.shift();
    if (piece) {
      this.awaitingOkay = true;
      this.transport.sendWrite(this.localId, this.remoteId, piece);
    } else {
      this.finishPendingWrite();
    }
  }

  private finishPendingWrite(): void {
    this.pending = [];
    const cb = this.pendingCallback;
    this.pendingCallback = null;
    cb?.();
  }

  private closeLocally(): void {
    if (this.adbClosed) return;
    this.adbClosed = true;
    this.transport.sendClose(this.localId, this.remoteId);
    this.transport.release(this.localId);
  }
}
