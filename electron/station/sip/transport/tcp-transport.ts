/**
 * SIP over TCP (RFC 3261 section 18) for sip.js: one connection to the PBX (or outbound proxy) carries
 * everything, in both directions, as a flow in the sense of RFC 5626: the PBX sends INVITEs for the
 * line back over the connection the REGISTER came on. Messages are framed by Content-Length
 * ({@link StreamFramer}); CRLF pings keep the flow alive and prove the PBX is still there.
 *
 * When the connection drops, the transport reports it (sip.js's `onDisconnect`); the registration
 * manager reconnects and registers again, which gives the Contact the new local port.
 */
import net from 'node:net';
import { SipTransportBase, type SipTransportOptions } from './sip-transport';
import { StreamFramer } from './stream-framer';
import type { ResolvedTarget } from './host-resolver';

const CONNECT_TIMEOUT_MS = 5_000;

export class TcpTransport extends SipTransportBase {
  readonly protocol: 'TCP' | 'TLS' = 'TCP';
  protected socket: net.Socket | undefined;
  private closing = false;

  constructor(sipjsLogger: unknown, options: SipTransportOptions) {
    super(sipjsLogger, options);
  }

  get localPort(): number | undefined {
    return this.socket?.localPort;
  }

  /** Opens the byte stream to one target (TLS overrides this). */
  protected dial(target: ResolvedTarget): net.Socket {
    return net.connect({ host: target.address, port: target.port, localAddress: this.options.localAddress });
  }

  /** The event after which the stream is usable ('connect' for TCP, 'secureConnect' for TLS). */
  protected readonly readyEvent: string = 'connect';

  protected async open(): Promise<void> {
    const errors: string[] = [];
    for (const target of this.options.targets) {
      try {
        this.socket = await this.connectTo(target);
        this.closing = false;
        this.wire(this.socket);
        return;
      } catch (err) {
        errors.push(`${target.address}:${target.port}: ${(err as Error).message}`);
      }
    }
    throw new Error(`cannot connect to the PBX over ${this.protocol}: ${errors.join('; ')}`);
  }

  protected async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    this.closing = true;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 1_000).unref();
    });
  }

  async send(message: string): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed || !this.isConnected()) throw new Error(`${this.protocol} transport is not connected`);
    await new Promise<void>((resolve, reject) => socket.write(message, (err) => (err ? reject(err) : resolve())));
  }

  protected ping(): void {
    this.socket?.write('\r\n\r\n');
  }

  protected onKeepaliveDead(): void {
    this.socket?.destroy(new Error('no keepalive pong from the PBX within the timeout (RFC 5626 section 4.4.1)'));
  }

  private connectTo(target: ResolvedTarget): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = this.dial(target);
      const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once(this.readyEvent, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
    });
  }

  private wire(socket: net.Socket): void {
    const framer = new StreamFramer();
    const source = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let items;
      try {
        items = framer.push(chunk);
      } catch (err) {
        socket.destroy(err as Error);
        return;
      }
      for (const item of items) {
        if (item.kind === 'ping') socket.write('\r\n');
        else if (item.kind === 'pong') this.keepalive?.alive();
        else this.receive(item.text, source, (reply) => socket.write(reply));
      }
    });
    let failure: Error | undefined;
    socket.on('error', (err) => {
      failure = err;
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      if (!this.closing) this.lost(failure ?? new Error(`the PBX closed the ${this.protocol} connection`));
    });
  }
}
