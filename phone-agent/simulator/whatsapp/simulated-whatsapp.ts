/**
 * The simulated WhatsApp network shared by every virtual phone in a process. It routes calls and
 * messages between the phones' agents (registered accounts) and scripted contacts from a Scenario, with
 * WhatsApp's observable behaviour: a call rings once the callee's phone is reached, stays at "calling"
 * when the callee is offline, fails at once for a number not on WhatsApp, and is busy when the callee is
 * already in a call. Each account has a health state (PROTOCOL.md, "Account state"), set by the scenario or
 * a test: an account that is not registered (logged out, banned, app missing or outdated) places no calls
 * (they end in 'error') and is not rung (its callers see 'offline'); 'unknown' only means the agent cannot
 * tell, so the network treats it as registered.
 */
import { createLogger, type Logger } from '../../../electron/station/util/log';
import type { AccountState, MessageOf } from '../../protocol';
import { Call, type CallLeg, type CallListener } from './call';
import { runCalleeBot, runCallerBot, type NetworkTiming, type ResolvedContact } from './contact-bot';
import { DEFAULT_OFFLINE_TIMEOUT_MS, defaultScenario, type Scenario } from './scenario';
import { TimerSet } from './timer-set';
import { realTime, type TimeSource } from '../../../native-audio/time-source';

/** A message as a phone receives it (the protocol's `message-received` without its type). */
export type ReceivedMessage = Omit<MessageOf<'message-received'>, 'type'>;

/** What the network needs from a virtual phone's agent. */
export interface WhatsAppEndpoint {
  /** A call rings on this phone; return who hears the callee leg's events. */
  incomingCall(leg: CallLeg): CallListener;
  messageReceived(message: ReceivedMessage): void;
  /** The account's health changed (the agent reports it to the station at once). */
  accountStateChanged?(state: AccountState): void;
}

export type SendResult = { ok: true } | { ok: false; error: string };

export interface SimulatedWhatsAppOptions {
  /** Default: defaultScenario(). */
  scenario?: Scenario;
  /** Network delays; tests shorten them. offlineTimeoutMs comes from the scenario. */
  timing?: Partial<Omit<NetworkTiming, 'offlineTimeoutMs'>>;
  /** Where the network's delays and the contacts' audio pacing run: real time, or a test's ManualTimeSource. */
  time?: TimeSource;
  log?: Logger;
}

const DEFAULT_TIMING: Omit<NetworkTiming, 'offlineTimeoutMs'> = {
  ringDelayMs: 500,
  lookupDelayMs: 300,
  ringTimeoutMs: 45_000,
};

const MEDIA_BEHAVIOURS = new Set(['echo', 'tone', 'wav']);

export class SimulatedWhatsApp {
  readonly scenario: Scenario;
  readonly timing: NetworkTiming;
  private readonly log: Logger;
  private readonly endpoints = new Map<string, WhatsAppEndpoint>();
  /** Accounts that were registered once: WhatsApp still knows them when their phone is gone (offline). */
  private readonly knownAccounts = new Set<string>();
  private readonly activeCalls = new Set<Call>();
  private readonly time: TimeSource;
  private readonly scriptTimers: TimerSet;
  /** Accounts whose state is not 'registered' (the scenario's, then what tests set). */
  private readonly accountStates = new Map<string, AccountState>();
  /** Calls placed from each account, by number called: every dial a phone carried out. */
  private readonly placed = new Map<string, Map<string, number>>();

  constructor(opts: SimulatedWhatsAppOptions = {}) {
    this.scenario = opts.scenario ?? defaultScenario();
    this.timing = {
      ...DEFAULT_TIMING,
      ...opts.timing,
      offlineTimeoutMs: this.scenario.offlineTimeoutMs ?? DEFAULT_OFFLINE_TIMEOUT_MS,
    };
    this.log = opts.log ?? createLogger('simulated-whatsapp');
    this.time = opts.time ?? realTime;
    this.scriptTimers = new TimerSet(this.time);
    for (const a of this.scenario.accounts ?? []) if (a.state !== 'registered') this.accountStates.set(a.number, a.state);
  }

  /** The account's health as the phone's WhatsApp shows it. */
  accountState(account: string): AccountState {
    return this.accountStates.get(account) ?? 'registered';
  }

  /** Puts an account in a state (banned, logged out...); its phone's agent hears of it at once. */
  setAccountState(account: string, state: AccountState): void {
    if (this.accountState(account) === state) return;
    if (state === 'registered') this.accountStates.delete(account);
    else this.accountStates.set(account, state);
    this.log.info(`account ${account} is now ${state}`);
    this.endpoints.get(account)?.accountStateChanged?.(state);
  }

  /** Whether the account can call and be called: registered, or a state the agent could not read. */
  private works(account: string): boolean {
    const state = this.accountState(account);
    return state === 'registered' || state === 'unknown';
  }

  /** A virtual phone's agent is running with this account; a second registration replaces the first. */
  register(account: string, endpoint: WhatsAppEndpoint): void {
    if (this.endpoints.has(account)) this.log.warn(`account ${account} registered again; the newer agent takes it`);
    this.endpoints.set(account, endpoint);
    this.knownAccounts.add(account);
  }

  /** The agent stopped; its number stays a WhatsApp account that is now offline. */
  unregister(account: string, endpoint?: WhatsAppEndpoint): void {
    if (endpoint && this.endpoints.get(account) !== endpoint) return;
    this.endpoints.delete(account);
  }

  isRegistered(account: string): boolean {
    return this.endpoints.has(account);
  }

  /** True while the account takes part in a call that has not ended. */
  inCall(account: string): boolean {
    for (const call of this.activeCalls) if (call.from.number === account || call.to.number === account) return true;
    return false;
  }

  /** The display name the network shows for a number ('' when it has none). */
  nameOf(number: string): string {
    return this.contact(number)?.name ?? '';
  }

  /**
   * Places a call from a virtual phone's account. Events arrive asynchronously, so the caller can
   * `listen()` on the returned leg and report "dialing" before anything else happens.
   */
  call(from: string, to: string): CallLeg {
    const byNumber = this.placed.get(from) ?? new Map<string, number>();
    byNumber.set(to, (byNumber.get(to) ?? 0) + 1);
    this.placed.set(from, byNumber);
    const call = this.track(new Call({ number: from, name: this.nameOf(from) }, { number: to, name: this.nameOf(to) }, this.timing.ringTimeoutMs, this.time));
    if (!this.works(from)) {
      // WhatsApp on a banned or logged-out phone shows its own screen instead of calling.
      this.log.info(`call ${from} -> ${to} fails: account ${from} is ${this.accountState(from)}`);
      const timers = new TimerSet(this.time);
      call.onEnd(() => timers.clear());
      timers.after(this.timing.lookupDelayMs, () => call.caller.endCall('error'));
    } else if (this.knownAccounts.has(to)) this.routeToPhone(call, to);
    else runCalleeBot(call, this.resolve(to), this.timing, this.time);
    return call.caller;
  }

  /** How many calls the account placed (to `to` only, when given): what a test counts to see a phone did not dial. */
  callsPlaced(from: string, to?: string): number {
    const byNumber = this.placed.get(from);
    if (!byNumber) return 0;
    return to === undefined ? [...byNumber.values()].reduce((a, b) => a + b, 0) : (byNumber.get(to) ?? 0);
  }

  /** Sends a text from a virtual phone's account; phones receive it, contacts just accept it. */
  sendMessage(from: string, to: string, text: string): SendResult {
    const endpoint = this.endpoints.get(to);
    if (endpoint) {
      const message: ReceivedMessage = { from, name: this.nameOf(from), text, time: Date.now() };
      // Delivered on a later turn, as over a network: the sender hears "sent" before the receiver hears it.
      setImmediate(() => endpoint.messageReceived(message));
      return { ok: true };
    }
    if (!this.knownAccounts.has(to) && this.resolve(to).behaviour === 'not-on-whatsapp') {
      return { ok: false, error: `${to} is not on WhatsApp` };
    }
    return { ok: true };
  }

  /** Starts the scenario's scripted messages and calls (times count from now). */
  start(): void {
    this.scriptTimers.clear();
    for (const m of this.scenario.messages ?? []) {
      this.scriptTimers.after(m.atMs, () => this.deliverScripted(m.to, { from: m.from, name: m.name ?? this.nameOf(m.from), text: m.text, time: Date.now() }));
    }
    for (const c of this.scenario.calls ?? []) this.scriptTimers.after(c.atMs, () => this.scriptedCall(c.from, c.to));
  }

  /** Stops scripted events and ends every call in progress (outcome 'error' on both sides). */
  stop(): void {
    this.scriptTimers.clear();
    for (const call of [...this.activeCalls]) call.end('error', 'error');
  }

  private track(call: Call): Call {
    this.activeCalls.add(call);
    call.onEnd(() => this.activeCalls.delete(call));
    return call;
  }

  private contact(number: string) {
    return this.scenario.contacts?.find((c) => c.number === number);
  }

  private resolve(number: string): ResolvedContact {
    const contact = this.contact(number);
    if (contact) return { ...contact, name: contact.name ?? '' };
    return { number, name: '', behaviour: this.scenario.unknownNumbers ?? 'not-on-whatsapp' };
  }

  /** A call to another virtual phone: it rings there, busy if in a call, offline if its agent is gone. */
  private routeToPhone(call: Call, account: string): void {
    const timers = new TimerSet(this.time);
    call.onEnd(() => timers.clear());
    const busy = this.inCallExcept(account, call);
    timers.after(this.timing.ringDelayMs, () => {
      const endpoint = this.endpoints.get(account);
      if (busy || this.inCallExcept(account, call)) return call.caller.endCall('busy');
      if (!endpoint || !this.works(account)) {
        // Nothing answers for that phone (or its account cannot take calls): WhatsApp keeps "calling" until it gives up.
        timers.after(Math.max(0, this.timing.offlineTimeoutMs - this.timing.ringDelayMs), () => call.caller.endCall('offline'));
        return;
      }
      call.callee.listen(endpoint.incomingCall(call.callee));
      call.ring();
    });
  }

  private inCallExcept(account: string, except: Call): boolean {
    for (const call of this.activeCalls) {
      if (call !== except && (call.from.number === account || call.to.number === account)) return true;
    }
    return false;
  }

  private deliverScripted(to: string, message: ReceivedMessage): void {
    const endpoint = this.endpoints.get(to);
    if (!endpoint) return this.log.warn(`scripted message to ${to} dropped: no virtual phone with that account is running`);
    endpoint.messageReceived(message);
  }

  /**
   * A contact calls a virtual phone now (what a scenario's `calls` entry does at its time); the
   * contact's behaviour gives its voice once answered (echo for behaviours without audio).
   */
  callFromContact(from: string, to: string): void {
    this.scriptedCall(from, to);
  }

  /** A contact sends a text to a virtual phone now (what a scenario's `messages` entry does at its time). */
  messageFromContact(from: string, to: string, text: string): void {
    this.deliverScripted(to, { from, name: this.nameOf(from), text, time: Date.now() });
  }

  private scriptedCall(from: string, to: string): void {
    const endpoint = this.endpoints.get(to);
    if (!endpoint) return this.log.warn(`scripted call ${from} -> ${to} skipped: no virtual phone with that account is running`);
    if (!this.works(to)) return this.log.info(`scripted call ${from} -> ${to} skipped: account ${to} is ${this.accountState(to)}`);
    // WhatsApp rings a phone that is already in a call too (call waiting): the phone's owner decides.
    if (this.inCall(to)) this.log.info(`scripted call ${from} -> ${to} arrives as call waiting`);
    const resolved = this.resolve(from);
    // A caller without an audio behaviour (reject, offline...) still needs a voice once answered: echo.
    const contact: ResolvedContact = MEDIA_BEHAVIOURS.has(resolved.behaviour) ? resolved : { ...resolved, behaviour: 'echo' };
    const call = this.track(new Call({ number: from, name: resolved.name }, { number: to, name: '' }, this.timing.ringTimeoutMs, this.time));
    runCallerBot(call, contact, this.time);
    call.callee.listen(endpoint.incomingCall(call.callee));
    call.ring();
  }
}
