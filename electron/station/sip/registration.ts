/**
 * A line's registration with the PBX (RFC 3261 section 10) around sip.js's `Registerer`, adding what
 * sip.js leaves to the application: retry with exponential backoff, refresh ahead of expiry with
 * jitter, a stop after repeated credential refusals, and a reconnect when a TCP/TLS flow drops.
 *
 *   disabled --start()--> registering --2xx--> registered --refresh 2xx--> registered
 *                             ^   \                 \--refresh fails / expired / flow lost--> failed
 *                             |    \                 \--binding lost (keepalive 404/480)--> registering (now)
 *                             |    \--401/403/408/503...--> failed(code, reason)
 *                             \--backoff (1 s, 2 s ... 60 s)--/   \--3rd refusal of the same credentials-->
 *                                                                  failed (stopped) --credentials changed--> registering
 *   any --stop()--> disabled (after an un-REGISTER when registered)
 *
 * Digest auth is done by sip.js (MD5 only; RFC 8760 SHA-256 is not implemented there or here).
 */
import { Registerer, RegistererState, RequestPendingError, type UserAgent } from 'sip.js';
import type { IncomingResponse } from 'sip.js/lib/core/index.js';
import { Backoff } from '../util/backoff';
import { createLogger, type Logger, type LogTags } from '../util/log';
import { Emitter } from '../util/emitter';
import { defaultRegistrationScheduler, type RegistrationScheduler } from './registration-scheduler';

export enum RegistrationState {
  Disabled = 'disabled',
  Registering = 'registering',
  Registered = 'registered',
  Failed = 'failed',
}

export interface RegistrationStatus {
  state: RegistrationState;
  /** SIP status of the last failure (408 for a timeout, 503 for a transport error, as sip.js reports them). */
  code?: number;
  reason?: string;
  /** True when retries stopped until the credentials change. */
  stopped?: boolean;
  /** Expires granted by the registrar, seconds (when registered). */
  expires?: number;
  /** Consecutive failed attempts. */
  failures: number;
  since: Date;
}

export interface RegistrationOptions {
  /** Expires asked for, seconds. */
  expires: number;
  /** Refresh at this share of the granted expires, with +-5 % jitter (default 0.8). */
  refreshRatio?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Consecutive 401/403/407 with unchanged credentials before giving up (default 3). */
  maxAuthFailures?: number;
  scheduler?: RegistrationScheduler;
  /** Remove the extension's leftover bindings before the first REGISTER of this run (default true). */
  clearStaleBindings?: boolean;
  /** Reconnects the transport when it is down (TCP/TLS after the PBX closed the flow). */
  reconnect: () => Promise<void>;
  isConnected: () => boolean;
  logTags?: LogTags;
}

const AUTH_REFUSED = new Set([401, 403, 407]);
/** Binding-lost signs that go on after this many re-registrations are not about the binding. */
const MAX_UNCONFIRMED_LOSSES = 3;

export type RegistrationEvents = { change: [RegistrationStatus] };

export class LineRegistration extends Emitter<RegistrationEvents> {
  private readonly registerer: Registerer;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private _status: RegistrationStatus = { state: RegistrationState.Disabled, failures: 0, since: new Date() };
  private running = false;
  private authFailures = 0;
  private staleCleared = false;
  private timer: NodeJS.Timeout | undefined;
  private cancelScheduled: (() => void) | undefined;
  /** Binding-lost signs since the binding was last seen working (each one re-registered the line). */
  private lossesSinceConfirmed = 0;
  private readonly lossBackoff: Backoff;

  constructor(
    private readonly ua: UserAgent,
    private readonly options: RegistrationOptions,
  ) {
    super();
    this.log = createLogger('sip-registration', options.logTags ?? {});
    this.backoff = new Backoff(options.retryInitialMs ?? 1_000, options.retryMaxMs ?? 60_000);
    this.lossBackoff = new Backoff(options.retryInitialMs ?? 1_000, options.retryMaxMs ?? 60_000);
    // sip.js refreshes at 99 % by itself; ours runs earlier so failures are seen with their status code.
    this.registerer = new Registerer(ua, { expires: options.expires, refreshFrequency: 99, logConfiguration: false });
    this.registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Unregistered && this.running && this._status.state === RegistrationState.Registered) {
        this.fail(undefined, 'the registration expired without a successful refresh');
      }
    });
  }

  get status(): RegistrationStatus {
    return this._status;
  }

  /** Starts registering (through the scheduler, so many lines do not burst). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.authFailures = 0;
    this.backoff.reset();
    this.set({ state: RegistrationState.Registering });
    this.queueAttempt();
  }

  /** Stops retries and refreshes, and removes the binding from the registrar if there is one. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimers();
    if (this.registerer.state === RegistererState.Registered && this.ua.isConnected()) {
      // At most 2 s: a registrar that does not answer must not hold up a shutdown for timer F (32 s).
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(guard);
          resolve();
        };
        const guard = setTimeout(done, 2_000);
        this.registerer.unregister({ requestDelegate: { onAccept: done, onReject: done } }).catch(done);
      });
    }
    await this.registerer.dispose().catch((err: Error) => this.log.debug(`disposing of the registerer failed: ${err.message}`));
    this.set({ state: RegistrationState.Disabled, reason: 'stopped' });
  }

  /**
   * Removes every binding of the extension (REGISTER with `Contact: *`, RFC 3261 10.2.2) before the
   * first registration of this run. A station that crashed left its old contact behind: the PBX would
   * fork calls to it and wait for the dead branch to time out before answering the caller.
   */
  private async clearStaleBindings(): Promise<void> {
    // A registerer of its own, thrown away after: whatever the registrar answers to `Contact: *` must
    // not leave the line's own registerer in a state that blocks the REGISTER that follows.
    const cleaner = new Registerer(this.ua, { expires: this.options.expires, logConfiguration: false });
    await new Promise<void>((resolve) => {
      const guard = setTimeout(resolve, 5_000);
      const done = (): void => {
        clearTimeout(guard);
        resolve();
      };
      cleaner.unregister({ all: true, requestDelegate: { onAccept: done, onReject: done } }).catch(done);
    });
    await cleaner.dispose().catch((err: Error) => this.log.debug(`disposing of the stale-binding registerer failed: ${err.message}`));
  }

  /** The credentials changed: forget earlier refusals and register again now. */
  credentialsChanged(): void {
    this.authFailures = 0;
    this.backoff.reset();
    if (!this.running) return;
    this.clearTimers();
    this.set({ state: RegistrationState.Registering });
    this.queueAttempt();
  }

  /** The transport lost its connection: register again (after reconnecting) with backoff. */
  connectionLost(reason: string): void {
    if (!this.running || this._status.stopped) return;
    this.fail(503, `connection to the PBX lost: ${reason}`);
  }

  /**
   * A sign that the registrar no longer has the line's binding: the keepalive OPTIONS for the line's
   * AOR was answered 404/480, as after a registrar restart that forgot its location table. Without
   * this a UDP line would learn it only at its next refresh, minutes later, and miss every call until
   * then (a TCP line notices the dropped connection at once). Registers again now, through the
   * scheduler so lines that lost their bindings together are spread; a further sign before the
   * binding was seen working waits the backoff. Ignored while an attempt is already under way.
   *
   * @returns false when the signs go on after {@link MAX_UNCONFIRMED_LOSSES} re-registrations that
   * succeeded: they are not about the binding, and the caller should stop reading them that way.
   */
  bindingLost(reason: string): boolean {
    if (!this.running || this._status.stopped || this._status.state !== RegistrationState.Registered) return true;
    if (++this.lossesSinceConfirmed > MAX_UNCONFIRMED_LOSSES) return false;
    const delay = this.lossesSinceConfirmed === 1 ? 0 : this.lossBackoff.next();
    this.log.warn(`${reason}; registering again ${delay ? `in ${Math.round(delay / 100) / 10} s` : 'now'}`);
    this.clearTimers();
    this.set({ state: RegistrationState.Registering, reason });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.queueAttempt();
    }, delay);
    return true;
  }

  /** The binding was seen working (the keepalive reached the line through the registrar). */
  bindingConfirmed(): void {
    this.lossesSinceConfirmed = 0;
    this.lossBackoff.reset();
  }

  private queueAttempt(): void {
    this.cancelScheduled?.();
    const scheduler = this.options.scheduler ?? defaultRegistrationScheduler;
    this.cancelScheduled = scheduler.schedule(() => {
      this.cancelScheduled = undefined;
      void this.attempt();
    });
  }

  private async attempt(): Promise<void> {
    if (!this.running) return;
    if (!this.options.isConnected()) {
      try {
        await this.options.reconnect();
      } catch (err) {
        this.fail(503, `cannot reach the PBX: ${(err as Error).message}`);
        return;
      }
    }
    if (!this.staleCleared && (this.options.clearStaleBindings ?? true)) {
      this.staleCleared = true;
      await this.clearStaleBindings();
      if (!this.running) return;
    }
    try {
      await this.registerer.register({
        requestDelegate: {
          onAccept: (response) => this.succeed(response),
          onReject: (response) => this.fail(response.message.statusCode, response.message.reasonPhrase, response),
        },
      });
    } catch (err) {
      // A REGISTER still in flight (sip.js's own refresh) will report through the state listener.
      if (!(err instanceof RequestPendingError)) this.fail(undefined, `REGISTER could not be sent: ${(err as Error).message}`);
    }
  }

  private succeed(response: IncomingResponse): void {
    if (!this.running) return;
    const expires = grantedExpires(response, this.options.expires, this.ua.contact.uri.toString());
    this.authFailures = 0;
    this.backoff.reset();
    if (this._status.state !== RegistrationState.Registered) this.log.info(`registered (expires ${expires} s)`);
    this.set({ state: RegistrationState.Registered, expires });
    const ratio = (this.options.refreshRatio ?? 0.8) * (0.95 + Math.random() * 0.1);
    const refreshMs = Math.max(500, Math.min(expires * ratio, expires - 1) * 1000);
    this.clearTimers();
    this.timer = setTimeout(() => this.queueAttempt(), refreshMs);
  }

  private fail(code: number | undefined, reason: string | undefined, response?: IncomingResponse): void {
    if (!this.running) return;
    this.clearTimers();
    const what = `${code ?? ''} ${reason ?? ''}`.trim() || 'unknown error';
    if (code !== undefined && AUTH_REFUSED.has(code)) {
      this.authFailures++;
      const max = this.options.maxAuthFailures ?? 3;
      if (this.authFailures >= max) {
        const message = `stopped: the PBX refused the credentials ${this.authFailures} times (${what}); check the password`;
        this.log.error(message);
        this.set({ state: RegistrationState.Failed, code, reason: message, stopped: true, failures: this._status.failures + 1 });
        return;
      }
    }
    const retryAfter = Number(response?.message.getHeader('retry-after'));
    const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : this.backoff.next();
    this.log.warn(`registration failed: ${what}; retrying in ${Math.round(delay / 100) / 10} s`);
    this.set({ state: RegistrationState.Failed, code, reason: what, failures: this._status.failures + 1 });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      this.set({ state: RegistrationState.Registering, failures: this._status.failures });
      this.queueAttempt();
    }, delay);
  }

  private clearTimers(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
  }

  private set(next: Partial<RegistrationStatus> & { state: RegistrationState }): void {
    const failures = next.state === RegistrationState.Registered ? 0 : (next.failures ?? this._status.failures);
    this._status = { ...next, failures, since: new Date() };
    this.emit('change', this._status);
  }
}

/**
 * The expires the registrar granted: the `expires` parameter of our Contact in the 200, else the
 * Expires header, else what we asked for (RFC 3261 section 10.2.4).
 */
export function grantedExpires(response: IncomingResponse, asked: number, ourContact?: string): number {
  const msg = response.message;
  // The registrar lists every binding of the AOR; ours is the one with our Contact URI.
  const contacts = msg.getHeaders('contact').flatMap((h) => h.split(/,(?=\s*(?:"[^"]*"\s*)?<)/));
  const mine = contacts.filter((c) => !ourContact || c.includes(ourContact));
  for (const contact of mine.length > 0 ? mine : contacts) {
    const m = /;\s*expires=(\d+)/i.exec(contact);
    if (m) return Number(m[1]);
  }
  const header = Number(msg.getHeader('expires'));
  return Number.isFinite(header) && header > 0 ? header : asked;
}
