/**
 * The agent's side of one station connection: framing, the hello and channel handshake, and closing with
 * a reason. The agent speaks first (PROTOCOL.md, "Transport"): `adb forward` accepts a TCP connection even
 * when nothing listens on the phone, so only the agent's hello tells the station that an agent is there.
 * The station's hello is followed by `channel`, which says whether this connection is control or audio.
 *
 *   awaiting-hello --station hello, same version--> awaiting-channel --channel--> ready --socket closed | garbage | close()--> closed
 *         \--bad magic | other version | other message first--> closed     \--other message--> closed
 */
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../electron/station/util/log';
import {
  AGENT_ERROR_CODES,
  FrameDecoder,
  ProtocolError,
  encodeMessage,
  type AgentEventMessage,
  type Channel,
  type StationMessage,
} from '../../protocol';

export type ConnectionState = 'awaiting-hello' | 'awaiting-channel' | 'ready' | 'closed';

export interface StationConnectionOptions {
  socket: Duplex;
  protocolVersion: number;
  software: string;
  log: Logger;
  /** The handshake is over: the connection carries `channel` from now on. */
  onReady(connection: StationConnection): void;
  /** Every station message after the handshake. */
  onMessage(message: StationMessage, connection: StationConnection): void;
  /** Once, when the connection is gone; `reason` says why. */
  onClose(reason: string): void;
}

/** How long a polite close waits for the station to hang up before the socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

export class StationConnection {
  state: ConnectionState = 'awaiting-hello';
  /** What the station named this connection (null until its `channel` message). */
  channel: Channel | null = null;
  private readonly decoder = new FrameDecoder();
  private readonly socket: Duplex;

  constructor(private readonly opts: StationConnectionOptions) {
    this.socket = opts.socket;
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('end', () => this.ended());
    this.socket.on('error', (err) => this.finish(`socket error: ${err.message}`));
    this.socket.on('close', () => this.finish('the station closed the connection'));
    this.send({ type: 'hello', version: opts.protocolVersion, software: opts.software });
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  send(message: AgentEventMessage): void {
    this.write(encodeMessage(message));
  }

  /** Raw bytes as their own write (test hooks send garbage this way). */
  write(bytes: Buffer): void {
    if (this.state === 'closed' || this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(bytes);
  }

  /** Polite close: flush what was written, then end the stream. */
  close(reason: string): void {
    if (this.state === 'closed') return;
    this.opts.log.info(`closing the station connection: ${reason}`);
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
    this.finish(reason);
  }

  /** Abrupt close, as when the agent process dies. */
  destroy(reason: string): void {
    this.socket.destroy();
    this.finish(reason);
  }

  private receive(chunk: Buffer): void {
    if (this.state === 'closed') return;
    let messages;
    try {
      messages = this.decoder.push(chunk);
    } catch (err) {
      const why = err instanceof ProtocolError ? `${err.code}: ${err.message}` : String(err);
      this.opts.log.warn(`station sent garbage, dropping the link (${why})`);
      return this.destroy(`protocol error from the station: ${why}`);
    }
    for (const message of messages) {
      // A message handler may have closed the link (a bad hello); the rest of the chunk is ignored.
      if (this.closed) return;
      if (this.state === 'awaiting-hello') this.handshake(message as StationMessage);
      else if (this.state === 'awaiting-channel') this.chooseChannel(message as StationMessage);
      else this.opts.onMessage(message as StationMessage, this);
    }
  }

  private handshake(message: StationMessage): void {
    if (message.type !== 'hello') {
      this.send({ type: 'error', code: AGENT_ERROR_CODES.handshake, message: `expected hello first, got '${message.type}'` });
      return this.close(`the station sent '${message.type}' before hello`);
    }
    if (message.version !== this.opts.protocolVersion) {
      const why = `station protocol ${message.version}, agent speaks ${this.opts.protocolVersion}`;
      this.send({ type: 'error', code: AGENT_ERROR_CODES.versionMismatch, message: why });
      return this.close(why);
    }
    this.state = 'awaiting-channel';
    this.opts.log.info(`station connected (${message.software}, protocol ${message.version})`);
  }

  private chooseChannel(message: StationMessage): void {
    if (message.type !== 'channel') {
      this.send({ type: 'error', code: AGENT_ERROR_CODES.handshake, message: `expected channel after hello, got '${message.type}'` });
      return this.close(`the station sent '${message.type}' instead of channel after its hello`);
    }
    this.channel = message.channel;
    this.state = 'ready';
    this.opts.onReady(this);
  }

  private ended(): void {
    try {
      this.decoder.end();
    } catch (err) {
      this.opts.log.warn(`station connection ended mid-frame: ${(err as Error).message}`);
    }
    // Half-closed by the station: close our side too, the link is over.
    this.socket.end();
    this.finish('the station ended the connection');
  }

  private finish(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.opts.onClose(reason);
  }
}
