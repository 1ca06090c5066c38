/**
 * The policy engine: decides whether an outbound call (SIP -> WhatsApp) may be placed, on which line,
 * and for how long; and remembers what happened to each call so the filters learn.
 *
 * Rules are checked in a fixed order, and the first that refuses is named in the verdict:
 *
 *   per number:  destination-patterns (503) -> not-on-whatsapp (488) -> early-hangup (503, per caller-ID)
 *                -> offline-repeat (503)
 *   per line:    one-call-per-line (486) -> lock-after (a paused line) -> dedicated -> unique-per-hour
 *                -> unique-per-day -> pause-between-calls (503 each)
 *   allowed:     max-duration rides on the verdict; the call layer hangs up when it runs out.
 *
 * Number rules come first: they refuse the call on every line, so hunting would not help.
 * Everything is recorded whether its rule is on or off, so switching a rule on uses the history at once.
 * Times come from the injected clock (epoch ms), so tests move time instead of sleeping.
 */
import type { CallOutcome } from '../../../phone-agent/protocol';
import { createLogger } from '../util/log';
import type { Db } from '../util/sqlite';
import { compileDestinationFilter, normalizeNumber, type DestinationFilter } from './destination-patterns';
import { LockAfter, pauseText, type LinePause } from './lock-after';
import { startOfLocalDay, startOfNextLocalDay } from './local-day';
import { lineLimits, type PolicyConfig, type RuleId } from './policy-config';
import { PolicyStore } from './policy-store';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How often old rows are swept out of the policy tables. */
const PRUNE_EVERY_MS = HOUR_MS;

export interface Refusal {
  allow: false;
  rule: RuleId;
  /** The SIP final response: 486 busy, 488 not on WhatsApp, 503 filtered (DESIGN.md, SIP outcomes). */
  code: 486 | 488 | 503;
  /** For people: the operator's event list and the SIP reason phrase. */
  reason: string;
}

export type Verdict = { allow: true; maxDurationS: number | null } | Refusal;

/** What the call layer learned: a WhatsApp outcome, or `filtered` when the policy refused it. */
export type PolicyOutcome = CallOutcome | 'answered' | 'filtered';

export interface OutboundRecord {
  line: string;
  /** The SIP caller-ID of the PBX user who placed the call. */
  callerId: string;
  number: string;
  outcome: PolicyOutcome;
  hangupSide: 'sip' | 'whatsapp' | 'station' | null;
  answered: boolean;
  /** Seconds from the answer to the end (lock-after's "very short" calls); null or absent when unknown. */
  talkS?: number | null;
  endedAt: number;
}

export interface LineCounters {
  uniqueLastHour: number;
  uniqueToday: number;
  /** The limits in force on this line (null = that limit is off). */
  limits: {
    uniquePerHour: number | null;
    uniquePerDay: number | null;
    pauseBetweenCallsS: number | null;
    maxDurationS: number | null;
    dedicated: boolean;
  };
  lastCallEndedAt: number | null;
  /** When the pause after the last call ends, if it has not yet. */
  restingUntil: number | null;
}

export type HuntVerdict = { allow: true; line: string; maxDurationS: number | null } | Refusal;

const log = createLogger('policy');

export class PolicyEngine {
  private readonly store: PolicyStore;
  /** The lock-after rule's runs and pauses; its `paused` and `resumed` events feed the events panel. */
  readonly locks: LockAfter;
  private config!: PolicyConfig;
  private destinations!: DestinationFilter;
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    db: Db,
    config: PolicyConfig,
    private readonly clock: () => number = Date.now,
  ) {
    this.store = new PolicyStore(db);
    this.locks = new LockAfter(db);
    this.updateConfig(config);
    this.pruneIfDue(this.clock());
  }

  updateConfig(config: PolicyConfig): void {
    this.destinations = compileDestinationFilter(config.destinationPatterns.allow, config.destinationPatterns.deny);
    this.config = config;
  }

  /** May `line` place a WhatsApp call to `number` for `callerId` now? */
  checkOutbound(a: { line: string; callerId: string; number: string; lineBusy: boolean }): Verdict {
    const number = normalizeNumber(a.number);
    const now = this.clock();
    const refusal =
      this.numberRefusal(a.callerId, number, now) ??
      (a.lineBusy && this.config.oneCallPerLine.enabled ? refuse('one-call-per-line', 486, `line ${a.line} is busy`) : null) ??
      this.lineRefusal(a.line, number, now);
    if (refusal) {
      log.child({ line: a.line }).info(`refused call to ${number} from ${a.callerId || '(no caller-ID)'}: ${refusal.rule}: ${refusal.reason}`);
      return refusal;
    }
    return { allow: true, maxDurationS: this.maxDurationS(a.line) };
  }

  /**
   * Hunting: which of these lines may take a call to `number` now (per-line limits only), least
   * recently used first (never-used lines first, then by the end of their last outbound call). Pass
   * the lines that are free; a line left out by the limits says why through `checkOutbound`.
   */
  eligibleLines(lines: string[], number: string): string[] {
    const digits = normalizeNumber(number);
    const now = this.clock();
    return this.byLeastRecentlyUsed(lines).filter((line) => this.lineRefusal(line, digits, now) === null);
  }

  /**
   * The whole hunting decision: the number rules, then the least recently used free line that the
   * per-line limits allow. Every line busy is 486; free lines that are all limited give the refusal
   * of the one that would have been picked first.
   */
  hunt(a: { lines: { line: string; busy: boolean }[]; callerId: string; number: string }): HuntVerdict {
    const number = normalizeNumber(a.number);
    const now = this.clock();
    const numberRefusal = this.numberRefusal(a.callerId, number, now);
    if (numberRefusal) return numberRefusal;
    const free = a.lines.filter((l) => !l.busy || !this.config.oneCallPerLine.enabled).map((l) => l.line);
    if (free.length === 0) {
      const what = a.lines.length === 0 ? 'no line is available' : `all ${a.lines.length} lines are busy`;
      return refuse('one-call-per-line', 486, what);
    }
    const ordered = this.byLeastRecentlyUsed(free);
    for (const line of ordered) {
      if (this.lineRefusal(line, number, now) === null) return { allow: true, line, maxDurationS: this.maxDurationS(line) };
    }
    const first = this.lineRefusal(ordered[0]!, number, now)!;
    return { ...first, reason: `every free line is limited; ${first.reason}` };
  }

  /** Remember how an outbound call went (the early-hangup, offline and non-WhatsApp memories learn here). */
  recordOutbound(a: OutboundRecord): void {
    // A refused call never reached WhatsApp: it used no line and taught nothing about the number.
    if (a.outcome === 'filtered') return;
    this.locks.record(a.line, { outcome: a.outcome, answered: a.answered, talkS: a.talkS ?? null, hangupSide: a.hangupSide }, this.clock(), lineLimits(this.config, a.line).lockAfter);
    const number = normalizeNumber(a.number);
    this.store.addCall(a.line, number, a.endedAt);
    // The PBX side gave up while WhatsApp was still dialing or ringing: the origin's "cut call".
    if (!a.answered && a.hangupSide === 'sip') this.store.addEarlyHangup(a.callerId, a.line, number, a.endedAt);
    if (a.answered) this.store.clearNumber(number);
    else if (a.outcome === 'offline') this.store.addOffline(number, a.endedAt);
    else if (a.outcome === 'not-on-whatsapp') {
      this.store.markNotOnWhatsapp(number, a.endedAt);
      log.child({ line: a.line }).info(`${number} is not on WhatsApp; remembered for ${this.config.notOnWhatsapp.rememberDays} days`);
    }
    this.pruneIfDue(this.clock());
  }

  /** A call or a message from `number` arrived on `line`: it becomes a known contact (dedicated mode). */
  noteInbound(line: string, number: string): void {
    const digits = normalizeNumber(number);
    if (digits) this.store.noteContact(line, digits, this.clock());
  }

  /** The lock-after pause in force on `line`, or null. */
  pauseOf(line: string): LinePause | null {
    return this.locks.pauseOf(line, this.clock(), lineLimits(this.config, line).lockAfter);
  }

  /** The operator lifts a line's pause; false when the line was not paused. */
  liftPause(line: string): boolean {
    return this.locks.lift(line);
  }

  /** Ends the pauses that ran out or whose rule was switched off (the station calls it every second). */
  sweepPauses(): void {
    this.locks.sweep(this.clock(), (line) => lineLimits(this.config, line).lockAfter);
  }

  /** Take a number out of the non-WhatsApp cache (the operator knows it joined WhatsApp). */
  forgetNotOnWhatsapp(number: string): boolean {
    return this.store.forgetNotOnWhatsapp(normalizeNumber(number));
  }

  counters(line: string): LineCounters {
    const now = this.clock();
    const limits = lineLimits(this.config, line);
    const last = this.store.lastCallEndedAt(line);
    const pauseMs = limits.pauseBetweenCalls.enabled ? limits.pauseBetweenCalls.seconds * 1000 : null;
    return {
      uniqueLastHour: this.store.distinctNumbersSince(line, now - HOUR_MS),
      uniqueToday: this.store.distinctNumbersSince(line, this.startOfDay(now)),
      limits: {
        uniquePerHour: limits.uniquePerHour.enabled ? limits.uniquePerHour.max : null,
        uniquePerDay: limits.uniquePerDay.enabled ? limits.uniquePerDay.max : null,
        pauseBetweenCallsS: limits.pauseBetweenCalls.enabled ? limits.pauseBetweenCalls.seconds : null,
        maxDurationS: this.maxDurationS(line),
        dedicated: limits.dedicated.enabled,
      },
      lastCallEndedAt: last,
      restingUntil: last !== null && pauseMs !== null && last + pauseMs > now ? last + pauseMs : null,
    };
  }

  /** Rules about the number and the caller: they refuse the call on every line. */
  private numberRefusal(callerId: string, number: string, now: number): Refusal | null {
    const c = this.config;
    if (c.destinationPatterns.enabled) {
      const why = this.destinations.refusal(number);
      if (why) return refuse('destination-patterns', 503, why);
    }
    if (c.notOnWhatsapp.enabled) {
      const foundAt = this.store.notOnWhatsappSince(number);
      if (foundAt !== null && now - foundAt < c.notOnWhatsapp.rememberDays * DAY_MS) {
        return refuse('not-on-whatsapp', 488, `${number} is not on WhatsApp (found ${new Date(foundAt).toISOString()})`);
      }
    }
    if (c.earlyHangup.enabled) {
      const n = this.store.earlyHangupsSince(callerId, this.startOfDay(now));
      if (n >= c.earlyHangup.maxPerDay) {
        const until = new Date(startOfNextLocalDay(now, c.timezoneOffsetMinutes)).toISOString();
        const who = callerId ? `caller ${callerId}` : 'callers without caller-ID';
        return refuse('early-hangup', 503, `${who} hung up before the station ended the call ${n} times today; refused until ${until}`);
      }
    }
    if (c.offlineRepeat.enabled) {
      const n = this.store.offlineSince(number, now - c.offlineRepeat.windowHours * HOUR_MS);
      if (n >= c.offlineRepeat.maxOffline) {
        return refuse('offline-repeat', 503, `${number} was offline ${n} times in the last ${c.offlineRepeat.windowHours} h`);
      }
    }
    return null;
  }

  /** The anti-ban limits of one line (busy or not is the caller's knowledge, checked apart). */
  private lineRefusal(line: string, number: string, now: number): Refusal | null {
    const l = lineLimits(this.config, line);
    const pause = this.locks.pauseOf(line, now, l.lockAfter);
    if (pause) return refuse('lock-after', 503, pauseText(line, pause));
    if (l.dedicated.enabled && !this.store.isKnownContact(line, number)) {
      return refuse('dedicated', 503, `line ${line} is dedicated: it only calls numbers that called or messaged it, and ${number} has not`);
    }
    if (l.uniquePerHour.enabled) {
      const since = now - HOUR_MS;
      const n = this.store.calledSince(line, number, since) ? 0 : this.store.distinctNumbersSince(line, since);
      if (n >= l.uniquePerHour.max) {
        return refuse('unique-per-hour', 503, `line ${line} called ${n} different numbers in the last hour (limit ${l.uniquePerHour.max})`);
      }
    }
    if (l.uniquePerDay.enabled) {
      const since = this.startOfDay(now);
      const n = this.store.calledSince(line, number, since) ? 0 : this.store.distinctNumbersSince(line, since);
      if (n >= l.uniquePerDay.max) {
        return refuse('unique-per-day', 503, `line ${line} called ${n} different numbers today (limit ${l.uniquePerDay.max})`);
      }
    }
    if (l.pauseBetweenCalls.enabled) {
      const last = this.store.lastCallEndedAt(line);
      const rest = last === null ? 0 : last + l.pauseBetweenCalls.seconds * 1000 - now;
      if (rest > 0) {
        return refuse('pause-between-calls', 503, `line ${line} rests ${Math.ceil(rest / 1000)} s more (${l.pauseBetweenCalls.seconds} s between calls)`);
      }
    }
    return null;
  }

  private maxDurationS(line: string): number | null {
    const m = lineLimits(this.config, line).maxDuration;
    return m.enabled ? m.seconds : null;
  }

  private byLeastRecentlyUsed(lines: string[]): string[] {
    const last = new Map(lines.map((l) => [l, this.store.lastCallEndedAt(l) ?? Number.NEGATIVE_INFINITY]));
    // Array.prototype.sort is stable: lines used equally long ago keep the caller's order.
    return [...lines].sort((a, b) => {
      const x = last.get(a)!;
      const y = last.get(b)!;
      return x === y ? 0 : x < y ? -1 : 1;
    });
  }

  private startOfDay(t: number): number {
    return startOfLocalDay(t, this.config.timezoneOffsetMinutes);
  }

  private pruneIfDue(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    const c = this.config;
    // Two days covers the longest local day (25 h) and the last hour, whatever the time zone.
    this.store.prune({
      calls: now - 2 * DAY_MS,
      earlyHangups: now - 2 * DAY_MS,
      offline: now - c.offlineRepeat.windowHours * HOUR_MS,
      notOnWhatsapp: now - c.notOnWhatsapp.rememberDays * DAY_MS,
    });
  }
}

function refuse(rule: RuleId, code: Refusal['code'], reason: string): Refusal {
  return { allow: false, rule, code, reason };
}
