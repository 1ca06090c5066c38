/**
 * The WhatsApp leg of a call: its phone side, as the station drives it through the phone's agent. Every
 * flow uses it (SIP -> WhatsApp, WhatsApp -> SIP, the operator's test dial and echo test); the flow says
 * what a WhatsApp answer and end mean for its other side.
 *
 *   placed:   dial --call-dialing--> dialing --call-ringing--> ringing --call-connected--> answered()
 *             \--no ring within routing.offlineTimeoutS: hang-up, outcome offline--\
 *   incoming: answer / decline (the agent announced it with call-incoming)          |
 *   hang-up:  the station's hang-up --> ending --call-ended, or none in HANG_UP_CONFIRM_MS--> ended()
 *   call-ended from the phone (the WhatsApp side ended it, or the phone's outcome) ----------> ended()
 *
 * It follows the phone's messages for its call id only, and lets go of the phone (listener, timers)
 * when the call ends, however it ends.
 */
import type { AgentMessage } from '../../../phone-agent/protocol';
import type { Call, PhoneEnd, PhoneLeg } from './call';
import type { WhatsAppOutcome } from './call-state';

/** How long the phone has to confirm a hang-up (its call-ended) before the call is ended without it. */
export const HANG_UP_CONFIRM_MS = 3_000;

export interface WhatsAppLegHandlers {
  /** The WhatsApp side rings (the call is `ringing` already). */
  ringing?(): void;
  /** The WhatsApp side answered the call the phone placed: the flow connects its other side. */
  answered?(): void;
  /**
   * The WhatsApp call is over: `outcome` is the station's own (offline, or `local-hangup` when the phone
   * never confirmed a hang-up) or else the phone's; `side` is the station when it hung up first.
   */
  ended(outcome: WhatsAppOutcome, side: 'whatsapp' | 'station'): void;
}

export class WhatsAppLeg implements PhoneLeg {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly offs: Array<() => void>;
  private rang = false;
  /** The station sent hang-up and waits for the phone's call-ended. */
  private hangingUp = false;
  /** Set when the station ends the WhatsApp call (offline), so the phone's outcome does not replace it. */
  private ownOutcome: WhatsAppOutcome | null = null;
  private over = false;

  /** Binds `call` to `phone`; `phoneCallId` is the agent's id for an incoming call, else a fresh one. */
  constructor(
    private readonly call: Call,
    readonly phone: PhoneEnd,
    private readonly handlers: WhatsAppLegHandlers,
    phoneCallId = phone.nextPhoneCallId(),
  ) {
    call.attachPhone(phone, phoneCallId, this);
    this.offs = [
      phone.port.on('message', (m) => {
        if ('callId' in m && m.callId === phoneCallId) this.message(m);
      }),
      call.on('change', (v) => v.state === 'ended' && this.close()),
    ];
  }

  get callId(): number {
    return this.call.phoneCallId;
  }

  /** The outcome the station gave the WhatsApp call (offline) while it waits for the phone to confirm. */
  get pendingOutcome(): WhatsAppOutcome | null {
    return this.ownOutcome;
  }

  /** Has the phone place the call; one that has not rung after `offlineTimeoutS` is hung up as offline. */
  dial(number: string, offlineTimeoutS: number): void {
    this.after(offlineTimeoutS * 1000, () => {
      if (this.rang) return;
      this.call.log.info(`call ${this.call.id}: ${number} has not rung after ${offlineTimeoutS} s: offline`);
      this.hangUp('offline');
    });
    this.send({ type: 'dial', callId: this.callId, number });
  }

  /** Answers the incoming WhatsApp call on the phone. */
  answer(): void {
    this.send({ type: 'answer', callId: this.callId });
  }

  /** Declines the incoming WhatsApp call on the phone; the flow finishes the call. */
  decline(): void {
    this.send({ type: 'decline', callId: this.callId });
  }

  /**
   * The station ends the WhatsApp call and waits for the phone to confirm it (the call is `ending`);
   * `ended()` follows with the phone's call-ended, or after HANG_UP_CONFIRM_MS without it.
   */
  hangUp(outcome?: WhatsAppOutcome): boolean {
    if (this.over || this.call.ended) return false;
    this.ownOutcome ??= outcome ?? null;
    if (this.hangingUp) return true;
    this.hangingUp = true;
    this.send({ type: 'hang-up', callId: this.callId });
    this.call.set('ending');
    this.after(HANG_UP_CONFIRM_MS, () => {
      // Said in the record: the phone may still hold the WhatsApp call.
      const reason = `the phone did not confirm the hang-up within ${HANG_UP_CONFIRM_MS / 1000} s`;
      this.call.log.info(`call ${this.call.id}: ${reason}: ended without it`);
      this.call.setEndReason(reason);
      this.end(this.ownOutcome ?? 'local-hangup', 'station');
    });
    return true;
  }

  /** Hangs up on the phone without waiting: the flow finishes the call itself, now. */
  drop(): void {
    this.send({ type: 'hang-up', callId: this.callId });
  }

  /**
   * The call ended while its phone was out of reach: the agent may still hold the WhatsApp call, so it
   * is hung up there as soon as the phone is back (within a minute).
   */
  hangUpWhenBack(): void {
    const callId = this.callId;
    const port = this.phone.port;
    const offLink = port.once('link', () => port.send({ type: 'hang-up', callId }));
    setTimeout(offLink, 60_000).unref();
  }

  private message(m: AgentMessage): void {
    if (this.over) return;
    // Once the station hung up only the phone's confirmation matters (not a late ring or answer).
    if (this.hangingUp && m.type !== 'call-ended') return;
    switch (m.type) {
      case 'call-dialing':
        return this.call.set('dialing');
      case 'call-ringing':
        this.rang = true;
        // A ring means the phone dialled, even if its call-dialing never came.
        if (this.call.state === 'routing') this.call.set('dialing');
        this.call.set('ringing');
        return this.handlers.ringing?.();
      case 'call-connected':
        this.rang = true;
        this.clearTimers();
        return this.handlers.answered?.();
      case 'call-ended':
        return this.end(this.ownOutcome ?? m.outcome, this.hangingUp ? 'station' : 'whatsapp');
    }
  }

  private end(outcome: WhatsAppOutcome, side: 'whatsapp' | 'station'): void {
    if (this.over) return;
    this.close();
    this.handlers.ended(outcome, side);
  }

  private close(): void {
    this.over = true;
    this.clearTimers();
    for (const off of this.offs) off();
  }

  private send(message: AgentMessage): void {
    this.phone.port.send(message);
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
