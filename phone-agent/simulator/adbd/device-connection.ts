/**
 * One host connection to the virtual adbd: the CNXN handshake, then a table of streams.
 *
 * ```
 *  awaiting-connect --CNXN--> online --socket closed / garbage / drop()--> closed
 * ```
 * The host opens every stream (OPEN with its id and a service name); we answer OKAY with our id, or
 * CLSE when the service does not exist, exactly as adbd does, so `adb forward` to a missing abstract
 * socket connects and then closes.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../electron/station/util/log';
import { AdbStream, type StreamTransport } from './adb-stream';
import {
  A_VERSION_MIN,
  A_VERSION_SKIP_CHECKSUM,
  AdbCommand,
  AdbProtocolError,
  PacketReader,
  encodePacket,
  type AdbPacket,
} from './packet';

/** A service implementation: it gets the stream once the host has been told the OPEN succeeded. */
export type StreamHandler = (stream: Duplex) => void;

/** Maps an OPEN's service name ("shell:ls", "sync:", "localabstract:x") to a handler; null = refuse. */
export interface ServiceRouter {
  open(service: string): StreamHandler | null;
}

export enum ConnectionState {
  AwaitingConnect = 'awaiting-connect',
  Online = 'online',
  Closed = 'closed',
}

/** Our payload limit: what real adbd announced before adb 28 raised it, and plenty for tests. */
export const DEVICE_MAX_DATA = 256 * 1024;

export interface DeviceConnectionOptions {
  socket: Socket;
  /** `device::ro.product.name=...;...;features=...` */
  banner: string;
  services: ServiceRouter;
  log: Logger;
}

export class DeviceConnection implements StreamTransport {
  private state = ConnectionState.AwaitingConnect;
  private version = A_VERSION_MIN;
  private negotiatedMaxData = DEVICE_MAX_DATA;
  private nextLocalId = 1;
  private readonly streams = new Map<number, AdbStream>();
  private readonly reader: PacketReader;
  private readonly socket: Socket;
  private readonly log: Logger;

  constructor(private readonly options: DeviceConnectionOptions) {
    this.socket = options.socket;
    this.log = options.log;
    this.reader = new PacketReader({
      verifyChecksum: () => this.state === ConnectionState.Online && this.version < A_VERSION_SKIP_CHECKSUM,
    });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.log.debug(`host connection error: ${err.message}`));
    this.socket.on('close', () => this.onClosed());
  }

  get maxData(): number {
    return this.negotiatedMaxData;
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Hangs up on the host, as pulling the USB cable would. */
  /**
   * Stops (or resumes) reading from the host: a hung phone whose USB link stays up. adb keeps listing
   * it, but nothing it sends is answered.
   */
  setFrozen(frozen: boolean): void {
    if (frozen) this.socket.pause();
    else this.socket.resume();
  }

  drop(): void {
    this.socket.destroy();
    this.onClosed();
  }

  sendWrite(localId: number, remoteId: number, data: Buffer): void {
    this.send({ command: AdbCommand.Write, arg0: localId, arg1: remoteId, data });
  }

  sendOkay(localId: number, remoteId: number): void {
    this.send({ command: AdbCommand.Okay, arg0: localId, arg1: remoteId, data: Buffer.alloc(0) });
  }

  sendClose(localId: number, remoteId: number): void {
    this.send({ command: AdbCommand.Close, arg0: localId, arg1: remoteId, data: Buffer.alloc(0) });
  }

  release(localId: number): void {
    this.streams.delete(localId);
  }

  private send(packet: AdbPacket): void {
    if (this.state === ConnectionState.Closed || this.socket.destroyed) return;
    this.socket.write(encodePacket(packet));
  }

  private onData(chunk: Buffer): void {
    let packets: AdbPacket[];
    try {
      packets = this.reader.push(chunk);
    } catch (err) {
      if (!(err instanceof AdbProtocolError)) throw err;
      this.log.warn(`dropping host connection: ${err.message}`);
      this.drop();
      return;
    }
    for (const p of packets) {
      if (this.state === ConnectionState.Closed) return;
      this.handle(p);
    }
  }

  private handle(p: AdbPacket): void {
    switch (p.command) {
      case AdbCommand.Connect:
        return this.onConnect(p);
      case AdbCommand.Open:
        return this.onOpen(p);
      case AdbCommand.Okay:
        return this.streams.get(p.arg1)?.handleOkay();
      case AdbCommand.Write:
        return this.onWrite(p);
      case AdbCommand.Close:
        // CLSE(remote id, our id). Closes for unknown ids are normal (both sides closing at once).
        return this.streams.get(p.arg1)?.handleRemoteClose();
      default:
        // AUTH only answers an AUTH we never send; SYNC and STLS are not used by adb over TCP here.
        this.log.debug(`ignoring ${p.command} from host`);
    }
  }

  private onConnect(p: AdbPacket): void {
    // A second CNXN means the host restarted its side of the transport: forget every stream.
    for (const s of [...this.streams.values()]) s.handleRemoteClose();
    this.version = Math.max(A_VERSION_MIN, Math.min(p.arg0, A_VERSION_SKIP_CHECKSUM));
    this.negotiatedMaxData = Math.min(DEVICE_MAX_DATA, p.arg1 || DEVICE_MAX_DATA);
    this.log.debug(
      `CNXN from host: version 0x${p.arg0.toString(16)} maxdata ${p.arg1} "${p.data.toString('utf8').replace(/\0+$/, '')}"`,
    );
    this.state = ConnectionState.Online;
    this.send({
      command: AdbCommand.Connect,
      arg0: this.version,
      arg1: this.negotiatedMaxData,
      data: Buffer.from(this.options.banner, 'utf8'),
    });
  }

  private onOpen(p: AdbPacket): void {
    const remoteId = p.arg0;
    if (this.state !== ConnectionState.Online || remoteId === 0) return;
    const service = p.data.toString('utf8').replace(/\0+$/, '');
    let handler: StreamHandler | null = null;
    try {
      handler = this.options.services.open(service);
    } catch (err) {
      this.log.warn(`service "${service}" failed to open: ${(err as Error).message}`);
    }
    if (!handler) {
      this.log.debug(`refusing service "${service}"`);
      this.sendClose(0, remoteId);
      return;
    }
    const localId = this.nextLocalId++;
    const stream = new AdbStream(localId, remoteId, service, this);
    this.streams.set(localId, stream);
    // The OKAY must precede the service's first WRTE, so the handler starts only after it is sent.
    this.sendOkay(localId, remoteId);
    stream.on('error', (err) => this.log.debug(`stream "${service}" error: ${err.message}`));
    try {
      handler(stream);
    } catch (err) {
      this.log.warn(`service "${service}" threw: ${(err as Error).message}`);
      stream.destroy();
    }
  }

  private onWrite(p: AdbPacket): void {
    const stream = this.streams.get(p.arg1);
    if (stream) stream.handleWrite(p.data);
    // A WRTE for a stream we already closed: tell the host again so it stops.
    else if (p.arg0 !== 0) this.sendClose(0, p.arg0);
  }

  private onClosed(): void {
    if (this.state === ConnectionState.Closed) return;
    this.state = ConnectionState.Closed;
    for (const s of [...this.streams.values()]) s.handleRemoteClose();
    this.streams.clear();
  }
}
