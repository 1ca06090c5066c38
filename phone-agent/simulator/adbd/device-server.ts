/**
 * The device side of ADB over TCP: what `adb connect 127.0.0.1:PORT` talks to.
 *
 * Listens on loopback only. Each accepted connection is one host transport (the adb server opens one
 * per `adb connect`); `dropConnections()` is the unplugged cable.
 */
import net from 'node:net';
import type { Logger } from '../../../electron/station/util/log';
import { DeviceConnection, type ServiceRouter } from './device-connection';

/**
 * Features we announce in the banner. Deliberately none of shell_v2, stat_v2, ls_v2, sendrecv_v2, abb:
 * without them adb 29 and adbkit use the plain `shell:` service and sync v1 (STAT, LIST, SEND, RECV),
 * which is what we implement. `cmd` only changes how `adb install` runs, and we do not install APKs.
 */
export const DEVICE_FEATURES: readonly string[] = [];

/** The CNXN banner: `device::` then the three properties the host shows in `adb devices -l`. */
export function deviceBanner(props: { name: string; model: string; device: string }, features = DEVICE_FEATURES): string {
  return (
    `device::ro.product.name=${props.name};ro.product.model=${props.model};` +
    `ro.product.device=${props.device};features=${features.join(',')}`
  );
}

export interface AdbDeviceServerOptions {
  banner: string;
  services: ServiceRouter;
  log: Logger;
}

export class AdbDeviceServer {
  private server: net.Server | null = null;
  private readonly connections = new Set<DeviceConnection>();
  private frozen = false;

  constructor(private readonly options: AdbDeviceServerOptions) {}

  /** Starts listening on 127.0.0.1:port (0 = any free port); resolves with the port bound. */
  async listen(port: number): Promise<number> {
    if (this.server) throw new Error(`adbd already listening on port ${this.port}`);
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(`adbd cannot listen on 127.0.0.1:${port}: ${err.code ?? err.message}`)),
      );
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.on('error', (err) => this.options.log.error(`adbd server error: ${err.message}`));
    this.server = server;
    return this.port;
  }

  get port(): number {
    const addr = this.server?.address();
    return addr && typeof addr === 'object' ? addr.port : 0;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Hangs up on every host connection; the server keeps listening (the phone is still on the desk). */
  dropConnections(): void {
    for (const c of [...this.connections]) c.drop();
    this.connections.clear();
  }

  /** A hung phone: every host connection stays open but nothing is read or answered (see DeviceConnection). */
  setFrozen(frozen: boolean): void {
    this.frozen = frozen;
    for (const c of this.connections) c.setFrozen(frozen);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.dropConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const log = this.options.log.child({ host: `${socket.remoteAddress}:${socket.remotePort}` });
    const conn = new DeviceConnection({ socket, banner: this.options.banner, services: this.options.services, log });
    this.connections.add(conn);
    if (this.frozen) conn.setFrozen(true);
    socket.on('close', () => this.connections.delete(conn));
    log.debug('host connected');
  }
}
