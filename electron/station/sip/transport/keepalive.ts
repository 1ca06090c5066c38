/**
 * Keepalive pings that keep the PBX's NAT binding and connection open and detect a dead peer.
 *
 * - TCP/TLS: a CRLF CRLF ping answered by a CRLF pong (RFC 5626 section 3.5.1); no pong within
 *   `pongTimeoutMs` (10 s, section 4.4.1) means the flow is dead and the connection is closed so the
 *   line reconnects and registers again.
 * - UDP: an OPTIONS request for the line's own AOR, whose response the transport swallows. A registrar
 *   that has the binding relays it to the line, which answers 200; one that lost it (restarted) answers
 *   404/480, and the line registers again at once (udp-transport.ts, registration.ts). A missing
 *   answer is only logged because UDP gives no other proof of life.
 *
 *   stopped --start--> waiting --interval--> pinged --pong/any traffic--> waiting
 *                                              \--pongTimeout--> dead (onDead)
 */

export enum KeepaliveState {
  Stopped = 'stopped',
  Waiting = 'waiting',
  Pinged = 'pinged',
  Dead = 'dead',
}

export interface KeepaliveOptions {
  intervalMs: number;
  ping: () => void;
  /** Called once when no answer arrived within `pongTimeoutMs` of a ping. */
  onDead: () => void;
  pongTimeoutMs?: number;
}

export class Keepalive {
  private timer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private _state = KeepaliveState.Stopped;
  private pings = 0;

  constructor(private readonly options: KeepaliveOptions) {}

  get state(): KeepaliveState {
    return this._state;
  }

  get sent(): number {
    return this.pings;
  }

  start(): void {
    this.stop();
    if (this.options.intervalMs <= 0) return;
    this._state = KeepaliveState.Waiting;
    this.schedule();
  }

  /** A pong, or any message from the peer: the flow is alive. */
  alive(): void {
    if (this._state !== KeepaliveState.Pinged) return;
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
    this._state = KeepaliveState.Waiting;
  }

  stop(): void {
    clearTimeout(this.timer);
    clearTimeout(this.pongTimer);
    this.timer = this.pongTimer = undefined;
    this._state = KeepaliveState.Stopped;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      if (this._state === KeepaliveState.Stopped || this._state === KeepaliveState.Dead) return;
      this.pings++;
      this.options.ping();
      if (this._state === KeepaliveState.Waiting) {
        this._state = KeepaliveState.Pinged;
        this.pongTimer = setTimeout(() => {
          this._state = KeepaliveState.Dead;
          clearTimeout(this.timer);
          this.options.onDead();
        }, this.options.pongTimeoutMs ?? 10_000);
        this.pongTimer.unref();
      }
      this.schedule();
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
