/**
 * Turns events-panel entries into alarms by the rules (alarm-rules.ts), one alarm per rule and line.
 * Time comes from an injected clock and advances only through `observe` and `tick`, so a test drives
 * hold-offs without waiting; the service calls `tick` when `nextDueAt` says.
 *
 *   (entry raises) --hold-off 0--------------------------------> firing --(info entry)--> cleared
 *         |                                                      ^  |
 *         +--> pending --(hold-off passed, still wrong: tick)----+  +-- one-shot: (quiet period passed) --> cleared
 *                 |
 *                 +--(info entry before the hold-off) --> dropped (the line recovered in time: no alarm)
 */
import { randomUUID } from 'node:crypto';
import type { AlarmView, StationLogEntry } from '../api/types';
import { Emitter } from '../util/emitter';
import { clears, raises, type AlarmRule } from './alarm-rules';

export interface AlarmEngineOptions {
  /** The rules in force (re-read at every entry: settings may change them). */
  rules(): readonly AlarmRule[];
  /** The phone of a line, for the alarm's serial. */
  serialOf(lineId: string): string | null;
  clock?: () => number;
  /** Cleared alarms kept for the console. */
  recentLimit?: number;
}

export type AlarmEngineEvents = {
  /** An alarm was raised: deliver it. */
  raise: [AlarmView];
  /** An alarm was cleared by an info entry: deliver its clear. */
  clear: [AlarmView];
  /** Anything changed (counts, a one-shot alarm's quiet end): for the console. */
  change: [];
};

interface Pending {
  rule: AlarmRule;
  entry: StationLogEntry;
  since: number;
  count: number;
}

interface Active {
  view: AlarmView;
  rule: AlarmRule;
  /** One-shot alarms: when their quiet period ends. */
  quietUntil: number | null;
}

const keyOf = (rule: AlarmRule, lineId: string | null) => `${rule.id}|${lineId ?? ''}`;

export class AlarmEngine extends Emitter<AlarmEngineEvents> {
  private readonly pending = new Map<string, Pending>();
  private readonly active = new Map<string, Active>();
  private readonly ended: AlarmView[] = [];
  private readonly clock: () => number;

  constructor(private readonly opts: AlarmEngineOptions) {
    super();
    this.clock = opts.clock ?? Date.now;
  }

  /** An events-panel entry: may raise, count into or clear alarms. */
  observe(entry: StationLogEntry): void {
    this.tick();
    const now = this.clock();
    for (const rule of this.opts.rules()) {
      if (!rule.enabled) continue;
      const key = keyOf(rule, entry.lineId);
      if (raises(rule, entry)) this.wrong(key, rule, entry, now);
      else if (clears(rule, entry)) this.well(key, entry, now);
    }
  }

  /** Raises pending alarms whose hold-off has passed and ends one-shot alarms whose quiet period has. */
  tick(): void {
    const now = this.clock();
    for (const [key, p] of this.pending) {
      if (now < p.since + p.rule.holdOffS * 1000) continue;
      this.pending.delete(key);
      this.fire(key, p.rule, p.entry, p.since, p.count, now);
    }
    for (const [key, a] of this.active) {
      if (a.quietUntil === null || now < a.quietUntil) continue;
      this.end(key, a, now, null);
      this.emit('change');
    }
  }

  /** When `tick` has something to do next (epoch ms), or null. */
  nextDueAt(): number | null {
    let due: number | null = null;
    const consider = (t: number) => (due = due === null ? t : Math.min(due, t));
    for (const p of this.pending.values()) consider(p.since + p.rule.holdOffS * 1000);
    for (const a of this.active.values()) if (a.quietUntil !== null) consider(a.quietUntil);
    return due;
  }

  /** Firing alarms, worst and newest first. */
  firing(): AlarmView[] {
    const order = ['critical', 'major', 'minor', 'warning'];
    return [...this.active.values()]
      .map((a) => ({ ...a.view }))
      .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity) || b.lastAt.localeCompare(a.lastAt));
  }

  /** Cleared alarms, newest first. */
  recent(): AlarmView[] {
    return this.ended.map((v) => ({ ...v })).reverse();
  }

  private wrong(key: string, rule: AlarmRule, entry: StationLogEntry, now: number): void {
    const a = this.active.get(key);
    if (a) {
      a.view.count++;
      a.view.lastAt = new Date(now).toISOString();
      if (a.quietUntil !== null) a.quietUntil = now + rule.holdOffS * 1000;
      this.emit('change');
      return;
    }
    if (rule.oneShot || rule.holdOffS === 0) return this.fire(key, rule, entry, now, 1, now);
    const p = this.pending.get(key);
    if (p) {
      p.count++;
      p.entry = entry;
    } else this.pending.set(key, { rule, entry, since: now, count: 1 });
  }

  private well(key: string, entry: StationLogEntry, now: number): void {
    // Recovered within the hold-off: never raised, nothing to clear.
    if (this.pending.delete(key)) return;
    const a = this.active.get(key);
    if (!a || !a.rule.clear) return;
    this.end(key, a, now, a.rule.clear(entry));
    this.emit('clear', { ...a.view });
    this.emit('change');
  }

  private fire(key: string, rule: AlarmRule, entry: StationLogEntry, since: number, count: number, now: number): void {
    const view: AlarmView = {
      id: randomUUID(),
      rule: rule.id,
      severity: rule.severity,
      state: 'firing',
      oneShot: rule.oneShot,
      lineId: entry.lineId,
      serial: entry.lineId ? this.opts.serialOf(entry.lineId) : null,
      message: rule.raise(entry),
      clearMessage: null,
      firstAt: new Date(since).toISOString(),
      lastAt: new Date(now).toISOString(),
      clearedAt: null,
      count,
    };
    this.active.set(key, { view, rule, quietUntil: rule.oneShot ? now + rule.holdOffS * 1000 : null });
    this.emit('raise', { ...view });
    this.emit('change');
  }

  private end(key: string, a: Active, now: number, clearMessage: string | null): void {
    this.active.delete(key);
    a.view.state = 'cleared';
    a.view.clearedAt = new Date(now).toISOString();
    a.view.clearMessage = clearMessage;
    this.ended.push(a.view);
    if (this.ended.length > (this.opts.recentLimit ?? 200)) this.ended.shift();
  }
}
