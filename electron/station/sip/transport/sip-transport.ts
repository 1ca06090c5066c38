/**
 * What the UDP, TCP and TLS transports share: sip.js's `Transport` contract (state, connect/disconnect,
 * `onMessage`), the receive path's gate (toll-fraud filter and well-formedness, inbound-gate.ts) and
 * keepalives.
 *
 *   Disconnected --connect()--> Connecting --opened--> Connected --disconnect()/lost--> Disconnected
 *                                    \--failed (connect() rejects)--> Disconnected
 *
 * sip.js constructs a transport itself (`transportConstructor`) with its logger and our
 * {@link SipTransportOptions}; the SipAccount resolves the PBX first so the UA can use a bare IP as Via
 * host (sip.js drops responses whose Via host differs from `viaHost`).
 */
import { EmitterImpl, TransportState, type Transport } from 'sip.js';
import { createLogger, type Logger, type LogTags } from '../../util/log';
import type { InboundFilter } from '../inbound-filter';
import type { SipPbxConfig } from '../sip-config';
import { InboundGate } from './inbound-gate';
import { RefusalLog } from './refusal-log';
import { peekMessage, type PeekedMessage } from './sip-message-peek';
import type { ResolvedTarget } from './host-resolver';
import { Keepalive } from './keepalive';

export interface SipTransportOptions {
  pbx: SipPbxConfig;
  /** Registrar (or outbound proxy) addresses, resolved, best first. Every request goes to the first that works. */
  targets: ResolvedTarget[];
  /** Local address to bind (UDP) or to connect from; also the Via host. */
  localAddress: string;
  /** Local UDP port; 0 or absent picks a free one. */
  localPort?: number;
  filter?: InboundFilter;
  /** Option tags the user agent supports; a Require naming another is answered 420. */
  supportedExtensions?: () => Iterable<string>;
  logTags?: LogTags;
  /** Called after every (re)connection with the local port, so the Contact can carry it. */
  onLocalPort?: (port: number) => void;
}

export interface PeerAddress {
  address: string;
  port: number;
}

export abstract class SipTransportBase implements Transport {
  abstract readonly protocol: 'UDP' | 'TCP' | 'TLS';
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  readonly stateChange = new EmitterImpl<TransportState>();
  protected readonly log: Logger;
  protected keepalive: Keepalive | undefined;
  private readonly gate: InboundGate;
  private readonly refusals: RefusalLog;
  private _state = TransportState.Disconnected;
  private connecting: Promise<void> | undefined;

  constructor(
    _sipjsLogger: unknown,
    protected readonly options: SipTransportOptions,
  ) {
    if (!options?.targets?.length) throw new Error('SIP transport created without a resolved PBX address (options.targets is empty)');
    this.log = createLogger('sip-transport', options.logTags ?? {});
    for (const t of options.targets) options.filter?.trust(t.address);
    this.gate = new InboundGate({ filter: options.filter, supportedExtensions: options.supportedExtensions });
    this.refusals = new RefusalLog(this.log);
  }

  get state(): TransportState {
    return this._state;
  }

  isConnected(): boolean {
    return this._state === TransportState.Connected;
  }

  /** The local port after connect (the Contact port). */
  abstract get localPort(): number | undefined;

  /** The local address towards the PBX (what Via and Contact carry, and where RTP is advertised). */
  get localAddress(): string {
    return this.options.localAddress;
  }

  connect(): Promise<void> {
    if (this._state === TransportState.Connected) return Promise.resolve();
    if (this.connecting) return this.connecting;
    this.transition(TransportState.Connecting);
    this.connecting = this.open()
      .then(() => {
        this.transition(TransportState.Connected);
        if (this.localPort !== undefined) this.options.onLocalPort?.(this.localPort);
        this.startKeepalive();
        this.onConnect?.();
      })
      .catch((err: Error) => {
        this.transition(TransportState.Disconnected);
        throw err;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  async disconnect(): Promise<void> {
    if (this._state === TransportState.Disconnected) return;
    this.keepalive?.stop();
    this.transition(TransportState.Disconnecting);
    await this.close();
    this.transition(TransportState.Disconnected);
    this.onDisconnect?.();
  }

  async dispose(): Promise<void> {
    await this.disconnect();
  }

  abstract send(message: string): Promise<void>;

  protected abstract open(): Promise<void>;
  protected abstract close(): Promise<void>;
  /** Sends a keepalive ping (CRLF CRLF on streams, OPTIONS on UDP). */
  protected abstract ping(): void;
  /** The keepalive got no answer: a stream transport drops the connection. */
  protected abstract onKeepaliveDead(): void;

  /** The connection went away without `disconnect()` (peer closed, reset, keepalive dead). */
  protected lost(error: Error): void {
    if (this._state === TransportState.Disconnected) return;
    this.keepalive?.stop();
    this.log.warn(`connection to the PBX lost: ${error.message}`);
    this.transition(TransportState.Disconnected);
    this.onDisconnect?.(error);
  }

  /**
   * Receive path: keepalive bookkeeping, then for requests the {@link InboundGate} (toll-fraud filter
   * and well-formedness, on sip.js's own parse), then sip.js. `reply` sends a stateless answer back to
   * where the message came from. Returns the peeked message (undefined if not SIP or not delivered).
   */
  protected receive(text: string, source: PeerAddress, reply: (text: string) => void): PeekedMessage | undefined {
    this.keepalive?.alive();
    const msg = peekMessage(text);
    if (!msg) {
      this.log.debug(`dropped ${text.length} bytes from ${source.address}:${source.port}: not a SIP message`);
      return undefined;
    }
    let deliver = text;
    if (msg.kind === 'request') {
      const decision = this.gate.admit(text, msg, source);
      const what = `${msg.method} ${msg.requestUri ?? ''} from ${source.address}:${source.port}`;
      if (decision.kind === 'drop') {
        this.logRefusal(source, `dropped ${what}: ${decision.why}`);
        return undefined;
      }
      if (decision.kind === 'answer') {
        if (decision.status < 300) this.log.debug(`answered ${what} with ${decision.status}: ${decision.why}`);
        else this.logRefusal(source, `refused ${what} with ${decision.status}: ${decision.why}`);
        reply(decision.text);
        return undefined;
      }
      deliver = decision.text;
      this.accepted(msg, source);
    }
    if (this.consume(msg)) return msg;
    this.onMessage?.(deliver);
    return msg;
  }

  /** Each refusal of the PBX's requests is a warning (a call may have failed); a stranger's flood is not. */
  private logRefusal(source: PeerAddress, line: string): void {
    if (this.options.filter?.isTrusted(source.address) ?? true) this.log.warn(line);
    else this.refusals.refused(source.address, line);
  }

  /**
   * A request is about to reach sip.js, which may answer it before `onMessage` returns (100 Trying, a
   * stateless 404): a subclass that routes responses by source remembers it here.
   */
  protected accepted(_msg: PeekedMessage, _source: PeerAddress): void {}

  /** Lets a subclass swallow messages meant for itself (answers to its own keepalive OPTIONS). */
  protected consume(_msg: PeekedMessage): boolean {
    return false;
  }

  private startKeepalive(): void {
    const seconds = this.options.pbx.keepaliveSeconds ?? 0;
    this.keepalive?.stop();
    if (seconds <= 0) return;
    this.keepalive = new Keepalive({
      intervalMs: seconds * 1000,
      ping: () => this.ping(),
      onDead: () => this.onKeepaliveDead(),
      pongTimeoutMs: Math.min(10_000, seconds * 1000),
    });
    this.keepalive.start();
  }

  private transition(state: TransportState): void {
    if (this._state === state) return;
    this._state = state;
    this.stateChange.emit(state);
  }
}
