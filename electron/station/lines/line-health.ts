/**
 * A line's fitness to take calls beyond its registration: the WhatsApp account's state as the agent
 * reports it (PROTOCOL.md, "Account state") and the heat and battery guard (phone-guard.ts), each with
 * the time it last changed. A line that is out of service for either is passed over by hunting and
 * answers a call straight to it with 503 and a Warning naming the reason (hunting.ts).
 *
 * `unknown` (the agent cannot tell, e.g. without UI automation) is shown but does not take the line out
 * of service: a phone whose screens cannot be read would otherwise never carry a call.
 */
import type { AccountState } from '../../../phone-agent/protocol';
import type { LineAccountView, LineGuardView } from '../api/types';
import type { GuardConfig } from '../config/schema';
import type { AgentInfo } from '../devices/agent-link';
import { guardPhone, type GuardState } from './phone-guard';

/** Why a line takes no calls now: the rule named in the call record and the Warning's text. */
export interface Outage {
  rule: 'account-health' | 'phone-guard';
  reason: string;
}

const ACCOUNT_WORDS: Record<Exclude<AccountState, 'registered'>, string> = {
  'logged-out': 'is logged out (verify it on the phone)',
  banned: 'is banned',
  'not-installed': 'has no WhatsApp installed on its phone',
  'update-required': 'needs a WhatsApp update',
  unknown: 'is in a state the agent cannot tell',
};

/** "WhatsApp account of wa3 is banned". */
export function accountReason(lineId: string, state: AccountState): string {
  return state === 'registered' ? `WhatsApp account of ${lineId} is registered` : `WhatsApp account of ${lineId} ${ACCOUNT_WORDS[state]}`;
}

export class LineHealth {
  private account: { state: AccountState; since: number } | null = null;
  private guard: (GuardState & { since: number }) | null = null;

  constructor(
    private readonly lineId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new `info` from the line's phone; true when what the line shows changed. */
  update(info: AgentInfo, guard: GuardConfig): boolean {
    let changed = false;
    if (info.accountState !== this.account?.state) {
      this.account = { state: info.accountState, since: this.now() };
      changed = true;
    }
    const was = this.guard;
    const next = guardPhone(info, guard, was?.trip ?? null, this.lineId);
    if (next?.trip !== was?.trip || next?.reason !== was?.reason) {
      // A new reading of the same trip keeps its start: `since` is when the line stopped taking calls.
      this.guard = next && { ...next, since: was && was.trip === next.trip ? was.since : this.now() };
      changed = true;
    }
    return changed;
  }

  /** Why the line must not take a new call, or null. The account comes first: a cool phone with a ban is still banned. */
  outage(): Outage | null {
    const state = this.account?.state;
    if (state && state !== 'registered' && state !== 'unknown') return { rule: 'account-health', reason: accountReason(this.lineId, state) };
    if (this.guard) return { rule: 'phone-guard', reason: this.guard.reason };
    return null;
  }

  get guarded(): boolean {
    return this.guard !== null;
  }

  accountView(): LineAccountView | null {
    return this.account && { state: this.account.state, since: new Date(this.account.since).toISOString() };
  }

  guardView(): LineGuardView | null {
    return this.guard && { trip: this.guard.trip, reason: this.guard.reason, since: new Date(this.guard.since).toISOString() };
  }
}
