/**
 * The alarm rules: which events-panel entries raise an alarm, how bad it is, how long it must stay
 * wrong before it is raised, and what clears it. Every rule is built on the EventLog's convention: a
 * warn or error entry of a kind says something went wrong on a line, a later info entry of the same
 * kind and line says it is well again. A rule whose kind carries several problems names the entry's tag.
 *
 * One-shot rules (an abnormal call end, one-way audio, a call no line could take) have nothing that
 * clears them: each such event is an alarm of its own, and their hold-off is a quiet period instead,
 * during which repeats on the same line are counted into the alarm already raised rather than sent again.
 */
import type { StationLogEntry } from '../api/types';
import type { AlarmsConfig } from '../config/schema';
import { ALARM_RULE_IDS, type AlarmRuleId, type AlarmSeverity } from '../values';

export interface AlarmRule {
  id: AlarmRuleId;
  /** What the rule watches, for the settings page. */
  title: string;
  kind: StationLogEntry['kind'];
  /** Only entries with one of these tags (absent: every warn/error entry of the kind). */
  tags?: readonly string[];
  severity: AlarmSeverity;
  holdOffS: number;
  oneShot: boolean;
  /** The alarm's text from the entry that raised it. */
  raise(entry: StationLogEntry): string;
  /** The text of its clearing; null for one-shot rules. */
  clear: ((entry: StationLogEntry) => string) | null;
  enabled: boolean;
}

type Defaults = Omit<AlarmRule, 'id' | 'enabled'>;

const on = (line: string | null) => (line ? `line ${line}` : 'the station');
/** The entry's own words on its line: for kinds whose entries already say what is wrong and what is well. */
const said = (e: StationLogEntry) => `${on(e.lineId)}: ${e.message}`;

export const RULE_DEFAULTS: Record<AlarmRuleId, Defaults> = {
  'registration-failed': {
    title: 'A line cannot register on the PBX',
    kind: 'registration',
    severity: 'major',
    holdOffS: 30,
    oneShot: false,
    raise: (e) => `${on(e.lineId)} is not registered: ${e.message}`,
    clear: (e) => `${on(e.lineId)} is registered again: ${e.message}`,
  },
  'phone-lost': {
    title: "A line's phone is lost or failed",
    kind: 'device',
    tags: ['phone-lost', 'phone-failed'],
    severity: 'major',
    holdOffS: 15,
    oneShot: false,
    raise: (e) => `${on(e.lineId)} has no phone: ${e.message}`,
    clear: (e) => `${on(e.lineId)} has its phone again: ${e.message}`,
  },
  'phone-unauthorized': {
    title: "A line's phone does not allow USB debugging",
    kind: 'device',
    tags: ['phone-unauthorized'],
    severity: 'major',
    holdOffS: 0,
    oneShot: false,
    raise: said,
    clear: (e) => `${on(e.lineId)} has its phone again: ${e.message}`,
  },
  'no-audio-route': {
    title: "The phone's agent has no audio route",
    kind: 'agent',
    tags: ['no-audio-route'],
    severity: 'major',
    holdOffS: 0,
    oneShot: false,
    raise: said,
    clear: said,
  },
  'account-unhealthy': {
    title: 'The WhatsApp account is logged out, banned or cannot call',
    kind: 'account',
    severity: 'critical',
    holdOffS: 0,
    oneShot: false,
    raise: said,
    clear: said,
  },
  'line-paused': {
    title: 'A line is paused by a lock-after rule',
    kind: 'pause',
    severity: 'minor',
    holdOffS: 0,
    oneShot: false,
    raise: (e) => `${on(e.lineId)} is paused: ${e.message}`,
    clear: (e) => `${on(e.lineId)} takes calls again: ${e.message}`,
  },
  'phone-guard': {
    title: 'A phone is too hot or its battery too low to take calls',
    kind: 'guard',
    severity: 'major',
    holdOffS: 0,
    oneShot: false,
    raise: said,
    clear: said,
  },
  'abnormal-end': {
    title: 'A call ended abnormally (no ACK, BYE refused, RTP timeout)',
    kind: 'call',
    tags: ['abnormal-end'],
    severity: 'minor',
    holdOffS: 300,
    oneShot: true,
    raise: said,
    clear: null,
  },
  'one-way-audio': {
    title: 'A call has audio in one direction only',
    kind: 'audio',
    severity: 'minor',
    holdOffS: 300,
    oneShot: true,
    raise: said,
    clear: null,
  },
  'no-line-available': {
    title: 'A call found no line to take it (a policy rule refused it, or every line was busy)',
    kind: 'rule',
    severity: 'warning',
    holdOffS: 300,
    oneShot: true,
    raise: said,
    clear: null,
  },
};

/** The rules as the settings tune them (enabled, severity, hold-off per rule). */
export function alarmRules(config: AlarmsConfig): AlarmRule[] {
  return ALARM_RULE_IDS.map((id) => {
    const tuned = config.rules[id] ?? {};
    const d = RULE_DEFAULTS[id];
    return { ...d, id, enabled: config.enabled && (tuned.enabled ?? true), severity: tuned.severity ?? d.severity, holdOffS: tuned.holdOffS ?? d.holdOffS };
  });
}

/** Whether the entry is one this rule is about (of its kind and tag), whatever its level. */
export function concerns(rule: AlarmRule, entry: StationLogEntry): boolean {
  if (entry.kind !== rule.kind) return false;
  if (!rule.tags) return true;
  // An info entry without a tag clears every rule of its kind on the line ("phone ready" clears lost and unauthorized).
  if (entry.level === 'info' && !entry.tag) return true;
  return entry.tag !== undefined && rule.tags.includes(entry.tag);
}

/** Whether the entry raises the rule's alarm. */
export const raises = (rule: AlarmRule, entry: StationLogEntry): boolean => entry.level !== 'info' && concerns(rule, entry);

/** Whether the entry clears the rule's alarm on its line. */
export const clears = (rule: AlarmRule, entry: StationLogEntry): boolean => !rule.oneShot && entry.level === 'info' && concerns(rule, entry);
