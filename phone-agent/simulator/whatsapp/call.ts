/**
 * One simulated WhatsApp call between two parties, each holding a CallLeg. A party is a virtual phone's
 * agent or a scripted remote contact; both drive their leg through the same methods, so a contact is
 * just another user of the interface the agent uses.
 *
 * Call states (both legs share them):
 *
 *   dialing --ring()--> ringing --callee answer()--> connected
 *      |                  |                              |
 *      +--end(outcome)----+--decline / hangUp / end------+--> ended (each leg gets one `ended(outcome)`)
 */
import { realTime, type TimeSource } from '../../../native-audio/time-source';
import type { CallOutcome, MessageOf } from '../../protocol';
import { TimerSet } from './timer-set';

export type CallState = 'dialing' | 'ringing' | 'connected' | 'ended';

/** One audio frame as it travels through a call (the protocol's `audio` message without its type). */
export type CallAudioFrame = Omit<MessageOf<'audio'>, 'type'>;

/** What a party hears from its leg. Every leg gets exactly one `ended`. */
export interface CallListener {
  ringing?(): void;
  connected?(): void;
  ended(outcome: CallOutcome): void;
  audio?(frame: CallAudioFrame): void;
}

export type LegRole = 'caller' | 'callee';

export class CallLeg {
  private listener: CallListener | null = null;

  constructor(
    private readonly call: Call,
    readonly role: LegRole,
    /** The number of the party at the other end. */
    readonly remoteNumber: string,
    /** That party's display name, '' when unknown. */
    readonly remoteName: string,
  ) {}

  get state(): CallState {
    return this.call.state;
  }

  /** Sets who hears this leg's events; the owner calls this once, before any event can fire. */
  listen(listener: CallListener): void {
    this.listener = listener;
  }

  /** Callee only, while ringing. */
  answer(): void {
    if (this.role !== 'callee') throw new Error('only the callee can answer a call');
    this.call.answer();
  }

  /** Callee only, while ringing: both sides see 'rejected'. */
  decline(): void {
    if (this.role !== 'callee') throw new Error('only the callee can decline a call');
    if (this.call.state === 'ended') return;
    this.call.end('rejected', 'rejected');
  }

  /** Ends the call from this side: this leg sees 'local-hangup', the other 'remote-hangup'. */
  hangUp(): void {
    this.endCall('local-hangup', 'remote-hangup');
  }

  /** Ends the call with an outcome for each side (the simulated network uses this for failures). */
  endCall(own: CallOutcome, other: CallOutcome = own): void {
    if (this.call.state === 'ended') return;
    if (this.role === 'caller') this.call.end(own, other);
    else this.call.end(other, own);
  }

  /** Audio into the call; dropped unless connected, as WhatsApp carries no media before answer. */
  sendAudio(frame: CallAudioFrame): void {
    if (this.call.state !== 'connected') return;
    this.call.other(this).listener?.audio?.(frame);
  }

  /** @internal the call notifies its legs through this. */
  emit<K extends keyof CallListener>(event: K, ...args: Parameters<NonNullable<CallListener[K]>>): void {
    const handler = this.listener?.[event] as ((...a: unknown[]) => void) | undefined;
    handler?.apply(this.listener, args);
  }
}

export class Call {
  state: CallState = 'dialing';
  readonly caller: CallLeg;
  readonly callee: CallLeg;
  private readonly endHooks: Array<() => void> = [];
  private readonly ringTimer: TimerSet;

  constructor(
    readonly from: { number: string; name: string },
    readonly to: { number: string; name: string },
    /** A call that rings this long unanswered ends 'no-answer' on both sides. */
    private readonly ringTimeoutMs = 45_000,
    time: TimeSource = realTime,
  ) {
    this.ringTimer = new TimerSet(time);
    this.caller = new CallLeg(this, 'caller', to.number, to.name);
    this.callee = new CallLeg(this, 'callee', from.number, from.name);
  }

  other(leg: CallLeg): CallLeg {
    return leg === this.caller ? this.callee : this.caller;
  }

  /** Runs once when the call ends, before the legs hear `ended` (timers, registries). */
  onEnd(hook: () => void): void {
    this.endHooks.push(hook);
  }

  /** The callee's phone was reached and rings. */
  ring(): void {
    if (this.state !== 'dialing') return;
    this.state = 'ringing';
    this.ringTimer.after(this.ringTimeoutMs, () => this.end('no-answer', 'no-answer'));
    this.caller.emit('ringing');
    this.callee.emit('ringing');
  }

  answer(): void {
    if (this.state !== 'ringing') return;
    this.state = 'connected';
    this.clearRingTimer();
    this.caller.emit('connected');
    this.callee.emit('connected');
  }

  end(callerOutcome: CallOutcome, calleeOutcome: CallOutcome): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.clearRingTimer();
    for (const hook of this.endHooks.splice(0)) hook();
    this.caller.emit('ended', callerOutcome);
    this.callee.emit('ended', calleeOutcome);
  }

  private clearRingTimer(): void {
    this.ringTimer.clear();
  }
}
