/**
 * The station's end of the agent's control connection: a TCP socket to the local port of an `adb forward`,
 * named the control channel right after the station's hello (PROTOCOL.md, "Channels"). A call's audio
 * has a connection of its own, opened by the media worker (media/phone-audio-link.ts); nothing of it
 * passes here.
 *
 * Connection setup (hello, version check, first info) is kept apart from the steady state (framing,
 * pings, events). The agent speaks first: `adb forward` accepts the TCP connection even when nothing
 * listens on the phone's abstract socket and closes it a moment later, so only the agent's hello tells
 * a live agent from a dead tunnel.
 *
 * Link states:
 *
 *   connecting --hello ok + info--> open --socket closed | garbled frame | pings unanswered--> closed
 *        \--no hello | bad magic | version mismatch | timeout--> closed (with an AgentLinkError)
 */
import net from 'node:net';
import {
  FrameDecoder,
  PROTOCOL_VERSION,
  ProtocolError,
  encodeMessage,
  type AgentMessage,
  type Channel,
  type MessageOf,
} from '../../../phone-agent/protocol';
import { Emitter } from '../util/emitter';
import type { Logger } from '../util/log';
import { PingWatch } from '../util/ping-watch';

export type AgentInfo = Omit<MessageOf<'info'>, 'type'>;

/** Why a link could not be opened; `code` lets the supervisor choose what to do next. */
export type AgentLinkErrorCode = 'no-agent' | 'not-agent' | 'version-mismatch' | 'timeout' | 'refused';

export class AgentLinkError extends Error {
  constructor(
    readonly code: AgentLinkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AgentLinkError';
  }
}

export interface AgentLinkOptions {
  port: number;
  host?: string;
  log: Logger;
  /** The station's software string sent in its hello. */
  software: string;
  helloTimeoutMs?: number;
  pingIntervalMs?: number;
  /** A link whose pings go unanswered this long is closed as dead. */
  pingTimeoutMs?: number;
  /**
   * How often the station asks again for `info` (default 30 s), so battery and temperature stay current
   * for the heat and battery guard; the agent sends a changed account state by itself.
   */
  infoIntervalMs?: number;
}

export type AgentLinkEvents = {
  /** Every message from the agent after the handshake (the control channel carries no audio). */
  message: [AgentMessage];
  info: [AgentInfo];
  /** The link is gone; `reason` says why in words an operator can act on. `fault` marks a protocol fault. */
  closed: [reason: string, fault: boolean];
};

const STATION_SOFTWARE_PREFIX = 'sip2wa-station';

/** The station's hello and the channel it names, sent together as the first bytes on every connection. */
export function stationGreeting(software: string, channel: Channel): Buffer {
  return Buffer.concat([
    encodeMessage({ type: 'hello', version: PROTOCOL_VERSION, software: `${STATION_SOFTWARE_PREFIX}/${software}` }),
    encodeMessage({ type: 'channel', channel }),
  ]);
}

/** Why the first message on a connection is not a usable agent hello, or null when it is. */
export function agentHelloProblem(message: AgentMessage): AgentLinkError | null {
  if (message.type !== 'hello') return new AgentLinkError('not-agent', `the agent sent '${message.type}' before its hello`);
  if (message.version !== PROTOCOL_VERSION) {
    return new AgentLinkError('version-mismatch', `agent version ${message.version}, station expects ${PROTOCOL_VERSION}`);
  }
  return null;
}

export class AgentLink extends Emitter<AgentLinkEvents> {
  private socket: net.Socket | null = null;
  private decoder = new FrameDecoder();
  private pingTimer: NodeJS.Timeout | null = null;
  private pings: PingWatch | null = null;
  private nonce = 0;
  private closedReason: string | null = null;
  info: AgentInfo | null = null;
  /** Round trip of the last answered ping, in milliseconds. */
  pingRttMs: number | null = null;
  private pingSentAt = new Map<number, number>();

  private constructor(private readonly opts: AgentLinkOptions) {
    super();
  }

  /**
   * Connects, checks the agent's hello and waits for its info. Rejects with an AgentLinkError that says
   * what went wrong; on success the link pings the agent until it is closed.
   */
  static async open(opts: AgentLinkOptions): Promise<AgentLink> {
    const link = new AgentLink(opts);
    await link.handshake();
    link.startPings();
    return link;
  }

  /** The forward's local port: the media workers open each call's audio connection through it too. */
  get port(): number {
    return this.opts.port;
  }

  /** The station software string this link said hello with (the audio connections say the same). */
  get software(): string {
    return this.opts.software;
  }

  get isOpen(): boolean {
    return this.closedReason === null && this.socket !== null;
  }

  send(message: AgentMessage): void {
    if (!this.socket || this.closedReason !== null) return;
    this.socket.write(encodeMessage(message));
  }

  close(reason = 'closed by the station'): void {
    this.finish(reason, false);
  }

  private handshake(): Promise<void> {
    const { port, host = '127.0.0.1', helloTimeoutMs = 2_000 } = this.opts;
    return new Promise<void>((resolve, reject) => {
      let stage: 'hello' | 'info' | 'open' = 'hello';
      const fail = (err: AgentLinkError): void => {
        clearTimeout(timer);
        this.finish(err.message, false);
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new AgentLinkError('timeout', `agent did not ${stage === 'hello' ? 'say hello' : 'send its info'} within ${helloTimeoutMs} ms`)),
        helloTimeoutMs,
      );
      const socket = net.connect({ host, port });
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on('error', (err) => {
        if (stage !== 'open') fail(new AgentLinkError('refused', `cannot reach the forward on port ${port}: ${err.message}`));
        else this.finish(`agent connection failed: ${err.message}`, false);
      });
      socket.on('close', () => {
        if (stage === 'hello') fail(new AgentLinkError('no-agent', 'no agent is listening on the phone (the tunnel closed without a hello)'));
        else if (stage === 'info') fail(new AgentLinkError('no-agent', 'the agent closed the connection during the handshake'));
        else this.finish('the agent closed the connection', false);
      });
      socket.on('connect', () => socket.write(stationGreeting(this.opts.software, 'control')));
      socket.on('data', (chunk: Buffer) => {
        let messages: AgentMessage[];
        try {
          messages = this.decoder.push(chunk);
        } catch (err) {
          const why = err instanceof ProtocolError ? err.message : String(err);
          if (stage === 'hello') return fail(new AgentLinkError('not-agent', `the phone's socket does not speak the agent protocol: ${why}`));
          if (stage === 'info') return fail(new AgentLinkError('not-agent', `garbled frame from the agent during the handshake: ${why}`));
          return this.finish(`garbled frame from the agent: ${why}`, true);
        }
        for (const message of messages) {
          if (stage === 'hello') {
            const problem = agentHelloProblem(message);
            if (problem) return fail(problem);
            stage = 'info';
            this.send({ type: 'get-info' });
          } else if (stage === 'info') {
            if (message.type === 'error') return fail(new AgentLinkError('refused', `the agent refused the station: ${message.message}`));
            if (message.type !== 'info') continue;
            this.info = stripType(message);
            stage = 'open';
            clearTimeout(timer);
            resolve();
          } else {
            this.dispatch(message);
          }
        }
      });
    });
  }

  private dispatch(message: AgentMessage): void {
    if (message.type === 'pong') {
      this.pings?.answered();
      const sent = this.pingSentAt.get(message.nonce);
      if (sent !== undefined) this.pingRttMs = Date.now() - sent;
      this.pingSentAt.clear();
      return;
    }
    if (message.type === 'info') {
      this.info = stripType(message);
      this.emit('info', this.info);
    }
    this.emit('message', message);
  }

  private startPings(): void {
    const { pingIntervalMs = 1_000, pingTimeoutMs = 3_000, infoIntervalMs = 30_000 } = this.opts;
    const pings = (this.pings = new PingWatch(pingIntervalMs, pingTimeoutMs));
    let infoAskedAt = Date.now();
    this.pingTimer = setInterval(() => {
      if (pings.silent) {
        this.finish(`the agent did not answer pings for ${pingTimeoutMs / 1000} s`, true);
        return;
      }
      if (Date.now() - infoAskedAt >= infoIntervalMs) {
        infoAskedAt = Date.now();
        this.send({ type: 'get-info' });
      }
      this.nonce = (this.nonce + 1) >>> 0;
      this.pingSentAt.set(this.nonce, Date.now());
      pings.sent();
      this.send({ type: 'ping', nonce: this.nonce });
    }, pingIntervalMs);
    this.pingTimer.unref();
  }

  private finish(reason: string, fault: boolean): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.socket?.destroy();
    if (fault) this.opts.log.warn(`agent link closed: ${reason}`);
    else this.opts.log.info(`agent link closed: ${reason}`);
    this.emit('closed', reason, fault);
  }
}

function stripType(message: MessageOf<'info'>): AgentInfo {
  const { type: _type, ...info } = message;
  return info;
}
