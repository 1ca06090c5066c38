/**
 * SIP over UDP (RFC 3261 section 18) for sip.js, with the retransmissions sip.js leaves out.
 *
 * One socket per line sends and receives (symmetric signalling, RFC 3581): the Contact and Via carry
 * its port, and the PBX's NAT-aware answers come back to it. sip.js's `send()` names no destination, so:
 * requests go to the outbound proxy, else the first loose Route, else the Request-URI (the registrar's
 * own name maps to the already resolved targets); responses go back to the source of the request they
 * answer (remembered per server transaction), else to the Via `received`/`rport` (never a name).
 *
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-18.2.2 (sending responses)
 * @see https://www.rfc-editor.org/rfc/rfc3581 (rport)
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SipTransportBase, type PeerAddress, type SipTransportOptions } from './sip-transport';
import { resolveSipTarget, type ResolvedTarget } from './host-resolver';
import { peekMessage, uriHostPort, type PeekedMessage } from './sip-message-peek';
import { peekedSourceKey } from './server-transaction-key';
import { UdpRetransmitter } from './udp-retransmit';
import { parseHostPort } from '../sip-config';
import { sipTimers } from '../sip-timers';

const KEEPALIVE_CALL_ID = 'ka-';
/**
 * Answers to the keepalive OPTIONS that say the PBX no longer knows the line's contact: the OPTIONS is
 * addressed to the line's own AOR, so a registrar that lost its bindings (restarted, flushed) answers
 * as it would to a call for the line: 404 Not Found or 480 Temporarily Unavailable.
 */
const BINDING_GONE = new Set([404, 480]);

/** What the keepalive OPTIONS of a UDP line learns about the line's binding at the registrar. */
export interface UdpKeepaliveOptions {
  /** The line's user: the keepalive OPTIONS goes to its AOR, so the registrar's answer shows the binding. */
  keepaliveUser?: string;
  /**
   * The registrar answered the keepalive as if it had no binding for the line (404/480). Returns false
   * when such answers are not about the binding (they go on after registering again): the keepalive
   * then pings the PBX itself.
   */
  onBindingLost?: (reason: string) => boolean;
  /** The keepalive reached the line through the registrar (2xx): the binding is there. */
  onBindingConfirmed?: () => void;
}

/** The local address the OS would use towards `target` (connects a UDP socket; sends nothing). */
export async function probeLocalAddress(target: ResolvedTarget): Promise<string> {
  const socket = dgram.createSocket(target.family === 6 ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(target.port, target.address, () => resolve());
    });
    return socket.address().address;
  } finally {
    socket.close();
  }
}

export class UdpTransport extends SipTransportBase {
  readonly protocol = 'UDP' as const;
  private socket: dgram.Socket | undefined;
  private readonly retransmitter = new UdpRetransmitter((payload, dest) => {
    this.write(payload, dest).catch((err: Error) => this.log.debug(`retransmission failed: ${err.message}`));
  });
  /** Where each received request came from, by server transaction, so its responses go back there. */
  private readonly requestSources = new Map<string, { peer: PeerAddress; at: number }>();
  private readonly resolved = new Map<string, ResolvedTarget>();
  private keepaliveSeq = 0;
  private keepaliveUser: string | undefined;

  constructor(
    sipjsLogger: unknown,
    private readonly udpOptions: SipTransportOptions & UdpKeepaliveOptions,
  ) {
    super(sipjsLogger, udpOptions);
    this.keepaliveUser = udpOptions.keepaliveUser;
  }

  get localPort(): number | undefined {
    return this.socket?.address().port;
  }

  get retransmitStats(): { retransmissions: number; active: number } {
    return this.retransmitter.stats;
  }

  protected async open(): Promise<void> {
    const family = this.options.targets[0]!.family;
    const socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.localPort ?? 0, this.options.localAddress, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (err) => this.log.warn(`UDP socket error: ${err.message}`));
    socket.on('message', (buf, rinfo) => this.onDatagram(buf, { address: rinfo.address, port: rinfo.port }));
    this.socket = socket;
  }

  protected async close(): Promise<void> {
    this.retransmitter.dispose();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  async send(message: string): Promise<void> {
    if (!this.socket) throw new Error('UDP transport is not connected');
    const msg = peekMessage(message);
    if (!msg) throw new Error('refusing to send a message that does not parse as SIP');
    const dest = msg.kind === 'request' ? await this.requestDestination(msg) : this.responseDestination(msg);
    this.retransmitter.onSend(msg, message, dest);
    await this.write(message, dest);
  }

  protected ping(): void {
    // An idle line receives no requests: let the keepalive expire what the last calls left behind.
    this.pruneSources();
    const target = this.options.targets[0]!;
    const host = this.options.localAddress;
    const port = this.localPort ?? 0;
    const tag = randomBytes(4).toString('hex');
    const server = `${target.family === 6 ? `[${target.address}]` : target.address}:${target.port}`;
    const ruri = `sip:${this.keepaliveUser ? `${encodeURIComponent(this.keepaliveUser)}@` : ''}${server}`;
    const text = [
      `OPTIONS ${ruri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${host}:${port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <sip:keepalive@${host}>;tag=${tag}`,
      `To: <${ruri}>`,
      `Call-ID: ${KEEPALIVE_CALL_ID}${tag}`,
      `CSeq: ${++this.keepaliveSeq} OPTIONS`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    void this.write(text, target).catch((err: Error) => this.log.debug(`sending the keepalive OPTIONS to ${server} failed: ${err.message}`));
  }

  protected onKeepaliveDead(): void {
    this.log.warn('the PBX did not answer the keepalive OPTIONS');
    this.keepalive?.start();
  }

  protected override consume(msg: PeekedMessage): boolean {
    const ours = msg.kind === 'response' && (msg.callId?.startsWith(KEEPALIVE_CALL_ID) ?? false);
    if (ours) this.keepaliveAnswered(msg.status ?? 0);
    return ours;
  }

  /**
   * The registrar's answer to a keepalive OPTIONS for the line's AOR. A 2xx went through the line's
   * binding (the station answered itself); 404/480 means the binding is gone, so the line registers
   * again now instead of at its next refresh, which may be minutes away.
   */
  private keepaliveAnswered(status: number): void {
    if (!this.keepaliveUser || status < 200) return;
    if (status < 300) return void this.udpOptions.onBindingConfirmed?.();
    if (!BINDING_GONE.has(status)) return;
    const why = `the PBX answered the keepalive OPTIONS for ${this.keepaliveUser} with ${status}`;
    if (this.udpOptions.onBindingLost?.(`${why}: it no longer has the line's binding`) === false) {
      this.log.warn(`${why} even after registering again: the keepalive pings the PBX itself from now on`);
      this.keepaliveUser = undefined;
    }
  }

  private onDatagram(buf: Buffer, source: PeerAddress): void {
    const text = buf.toString('utf8');
    if (text.trim() === '') return; // a CRLF keepalive from the peer
    const msg = this.receive(text, source, (reply) =>
      void this.write(reply, source).catch((err: Error) => this.log.debug(`a reply to ${source.address}:${source.port} failed: ${err.message}`)),
    );
    if (!msg) return;
    this.retransmitter.onReceive(msg);
  }

  /** Before sip.js sees the request, which may answer it at once (100 Trying, a stateless 405). */
  protected override accepted(msg: PeekedMessage, source: PeerAddress): void {
    this.rememberSource(peekedSourceKey(msg), source);
  }

  /**
   * Entries expire after the longest a server transaction can still answer (64*T1 + T4) and are pruned
   * by age on every request and keepalive. They used to be pruned only past 512 entries, which a line
   * taking a few calls a minute reaches after hours or never: every key (a slice of the received text)
   * kept the whole INVITE, ACK or BYE alive, about 2 kB per call on each line until then. Re-inserting
   * keeps the map in age order, so pruning stops at the first fresh entry.
   *
   * Keyed by branch, sent-by, method, Call-ID and CSeq ({@link peekedSourceKey}); the first source of a
   * transaction keeps it: a copy of the request from elsewhere cannot redirect its responses.
   */
  private rememberSource(key: string, peer: PeerAddress): void {
    this.pruneSources();
    const known = this.requestSources.get(key);
    if (known && (known.peer.address !== peer.address || known.peer.port !== peer.port)) return;
    this.requestSources.delete(key);
    this.requestSources.set(key, { peer, at: Date.now() });
  }

  /** Requests whose source is remembered (bounded by the expiry; the fuzz test watches it). */
  get rememberedSources(): number {
    return this.requestSources.size;
  }

  private pruneSources(): void {
    const horizon = Date.now() - 64 * sipTimers.T1 - sipTimers.T4;
    for (const [k, v] of this.requestSources) {
      if (v.at >= horizon) break;
      this.requestSources.delete(k);
    }
  }

  /**
   * Where a response goes (RFC 3261 section 18.2.2, RFC 3581 section 4): the source address and port of
   * its request, remembered while its transaction can answer, else the `received`/`rport` the receive
   * path stamped on the request's Via (a 200 after a long ring). Never the sent-by alone: it is the
   * sender's choice, so a spoofed Via could make the station look up names or reflect responses to a
   * third party.
   */
  private responseDestination(msg: PeekedMessage): PeerAddress {
    const known = this.requestSources.get(peekedSourceKey(msg));
    if (known) return known.peer;
    const via = msg.via;
    if (!via) throw new Error('cannot send a response without a Via header');
    if (!via.received || isIP(via.received) === 0) {
      throw new Error(`no known source for the ${msg.status ?? ''} ${msg.method} response (its Via names "${via.host}", which is not used)`);
    }
    return { address: via.received, port: via.rport ?? via.port ?? 5060 };
  }

  private async requestDestination(msg: PeekedMessage): Promise<PeerAddress> {
    const pbx = this.options.pbx;
    if (pbx.outboundProxy) return this.options.targets[0]!;
    const route = msg.route && /;lr\b/i.test(msg.route) ? uriHostPort(msg.route) : undefined;
    const next = route ?? (msg.requestUri ? uriHostPort(msg.requestUri) : undefined);
    if (!next) return this.options.targets[0]!;
    const registrar = parseHostPort(pbx.host);
    if (next.host.toLowerCase() === registrar.host.toLowerCase() && (next.port ?? pbx.port) === pbx.port) {
      return this.options.targets[0]!;
    }
    const key = `${next.host}:${next.port ?? ''}`;
    let target = this.resolved.get(key);
    if (!target) {
      try {
        target = (await resolveSipTarget(next.host, next.port, 'udp'))[0]!;
        this.resolved.set(key, target);
      } catch (err) {
        this.log.warn(`${(err as Error).message}; sending ${msg.method} to the PBX instead`);
        return this.options.targets[0]!;
      }
    }
    return target;
  }

  private write(text: string, dest: PeerAddress): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('UDP transport is closed'));
    return new Promise((resolve, reject) => {
      socket.send(text, dest.port, dest.address, (err) => (err ? reject(err) : resolve()));
    });
  }
}
