/**
 * Policy configuration: the origin's rules ("we don't accept ...") and the anti-ban limits, each one
 * switchable and tunable. The schema is the single declaration; the station config embeds it, and the
 * types below are inferred from it.
 *
 * Every rule has a stable id (`RULE_IDS`) that refusals, logs and the console name. Config keys are the
 * camelCase form of the id.
 */
import { z } from 'zod';

export const RULE_IDS = [
  'destination-patterns',
  'not-on-whatsapp',
  'early-hangup',
  'offline-repeat',
  'one-call-per-line',
  'dedicated',
  'unique-per-hour',
  'unique-per-day',
  'pause-between-calls',
  'max-duration',
  'lock-after',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

const count = (min: number) => z.number().int('must be a whole number').min(min, `must be at least ${min}`);

/**
 * A destination pattern: digits (an optional leading "+" is ignored) match as a prefix; `/.../` is a
 * regular expression tested against the number's digits (no "+", no spaces).
 */
const destinationPattern = z.string().superRefine((p, ctx) => {
  if (isRegexPattern(p)) {
    try {
      new RegExp(p.slice(1, -1));
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `is not a valid regular expression: ${(err as Error).message}` });
    }
  } else if (!/^\+?\d+$/.test(p)) {
    ctx.addIssue({ code: 'custom', message: 'must be a digit prefix (like "62" or "+6281") or a regular expression between slashes (like "/^62(81|82)/")' });
  }
});

export function isRegexPattern(p: string): boolean {
  return p.length >= 2 && p.startsWith('/') && p.endsWith('/');
}

// The per-line limits. Each is declared once without defaults (a line override sets only the fields it
// names) and once with them (the station-wide values).
const uniquePerHourFields = { enabled: z.boolean(), max: count(1) };
const uniquePerDayFields = { enabled: z.boolean(), max: count(1) };
const pauseBetweenCallsFields = { enabled: z.boolean(), seconds: count(0).max(3600, 'must be at most 3600') };
const maxDurationFields = { enabled: z.boolean(), seconds: count(10).max(86_400, 'must be at most 86400') };
const dedicatedFields = { enabled: z.boolean() };
const lockAfterFields = {
  enabled: z.boolean(),
  failed: count(0).max(100, 'must be at most 100'),
  unanswered: count(0).max(100, 'must be at most 100'),
  short: count(0).max(100, 'must be at most 100'),
  shortSeconds: count(1).max(600, 'must be at most 600'),
  pauseMinutes: count(1).max(7 * 24 * 60, 'must be at most 10080 (a week)'),
};

const uniquePerHour = z.strictObject({
  enabled: uniquePerHourFields.enabled.default(true),
  /** Distinct destination numbers a line may call in any rolling hour. */
  max: uniquePerHourFields.max.default(20),
});
const uniquePerDay = z.strictObject({
  enabled: uniquePerDayFields.enabled.default(true),
  /** Distinct destination numbers a line may call in one local day. */
  max: uniquePerDayFields.max.default(100),
});
const pauseBetweenCalls = z.strictObject({
  enabled: pauseBetweenCallsFields.enabled.default(true),
  /** Rest between the end of one outbound call on a line and the start of the next. */
  seconds: pauseBetweenCallsFields.seconds.default(10),
});
const maxDuration = z.strictObject({
  enabled: maxDurationFields.enabled.default(false),
  /** The call layer hangs up an outbound call after this many seconds. */
  seconds: maxDurationFields.seconds.default(3600),
});
const dedicated = z.strictObject({
  /** The line only calls numbers that called or messaged it before (customer's own account). */
  enabled: dedicatedFields.enabled.default(false),
});

/**
 * Lock-after (GoIP / Ejoin / 2N style): a run of bad calls on a line pauses it, as a sign that its
 * account or phone is in trouble and more calls would make it worse. Counted since the line's last good
 * call (answered and at least `shortSeconds` long); which outcomes are which is policy/lock-after.ts
 * `classifyCall`. A count of 0 leaves that kind of call uncounted.
 */
const lockAfter = z.strictObject({
  enabled: lockAfterFields.enabled.default(false),
  /** Calls that failed on the phone side (agent or phone error, phone lost) before the line pauses. */
  failed: lockAfterFields.failed.default(3),
  /** Calls the WhatsApp user did not answer (rejected, busy, no answer, offline). */
  unanswered: lockAfterFields.unanswered.default(5),
  /** Answered calls shorter than `shortSeconds`. */
  short: lockAfterFields.short.default(5),
  shortSeconds: lockAfterFields.shortSeconds.default(10),
  /** How long the line rests out of hunting; the operator can lift it sooner. */
  pauseMinutes: lockAfterFields.pauseMinutes.default(30),
});

/** What a line may override: any field of any per-line limit. */
export const lineOverrideSchema = z.strictObject({
  uniquePerHour: z.strictObject(uniquePerHourFields).partial().optional(),
  uniquePerDay: z.strictObject(uniquePerDayFields).partial().optional(),
  pauseBetweenCalls: z.strictObject(pauseBetweenCallsFields).partial().optional(),
  maxDuration: z.strictObject(maxDurationFields).partial().optional(),
  dedicated: z.strictObject(dedicatedFields).partial().optional(),
  lockAfter: z.strictObject(lockAfterFields).partial().optional(),
});

export const policySchema = z.strictObject({
  /**
   * The "day" of early-hangup and unique-per-day: minutes east of UTC (420 for Jakarta), or null for
   * the PC's local time.
   */
  timezoneOffsetMinutes: count(-720).max(840, 'must be at most 840').nullable().default(null),
  oneCallPerLine: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  earlyHangup: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** A caller who hangs up before the station ends the call this many times is refused for the rest of the day. */
      maxPerDay: count(1).default(2),
    })
    .prefault({}),
  offlineRepeat: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Calls to a number after it was found offline this many times within the window are refused. */
      maxOffline: count(1).default(2),
      windowHours: count(1).max(24 * 30, 'must be at most 720').default(24),
    })
    .prefault({}),
  notOnWhatsapp: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** How long a number found not on WhatsApp is remembered (and refused at once). */
      rememberDays: count(1).max(3650, 'must be at most 3650').default(30),
    })
    .prefault({}),
  uniquePerHour: uniquePerHour.prefault({}),
  uniquePerDay: uniquePerDay.prefault({}),
  pauseBetweenCalls: pauseBetweenCalls.prefault({}),
  maxDuration: maxDuration.prefault({}),
  dedicated: dedicated.prefault({}),
  lockAfter: lockAfter.prefault({}),
  destinationPatterns: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** When not empty, only numbers matching one of these are called. */
      allow: z.array(destinationPattern).default([]),
      /** Numbers matching one of these are never called (deny wins over allow). */
      deny: z.array(destinationPattern).default([]),
    })
    .prefault({}),
  /** Per-line overrides of the per-line limits, by line id (for example one dedicated line). */
  lines: z.record(z.string().min(1), lineOverrideSchema).default({}),
});

export type PolicyConfig = z.infer<typeof policySchema>;
export type LineOverride = z.infer<typeof lineOverrideSchema>;

/** The policy when nobody has tuned it: every default. */
export function defaultPolicy(): PolicyConfig {
  return policySchema.parse({});
}

/** The per-line limits in force on one line: the station-wide values with the line's overrides on top. */
export interface LineLimits {
  uniquePerHour: z.infer<typeof uniquePerHour>;
  uniquePerDay: z.infer<typeof uniquePerDay>;
  pauseBetweenCalls: z.infer<typeof pauseBetweenCalls>;
  maxDuration: z.infer<typeof maxDuration>;
  dedicated: z.infer<typeof dedicated>;
  lockAfter: LockAfterSettings;
}

export type LockAfterSettings = z.infer<typeof lockAfter>;

export function lineLimits(config: PolicyConfig, line: string): LineLimits {
  const o: LineOverride = config.lines[line] ?? {};
  return {
    uniquePerHour: overlay(config.uniquePerHour, o.uniquePerHour),
    uniquePerDay: overlay(config.uniquePerDay, o.uniquePerDay),
    pauseBetweenCalls: overlay(config.pauseBetweenCalls, o.pauseBetweenCalls),
    maxDuration: overlay(config.maxDuration, o.maxDuration),
    dedicated: overlay(config.dedicated, o.dedicated),
    lockAfter: overlay(config.lockAfter, o.lockAfter),
  };
}

/** `base` with the fields `over` sets (an explicit undefined keeps the base value). */
function overlay<T extends object>(base: T, over: Partial<T> | undefined): T {
  const out = { ...base };
  for (const [k, v] of Object.entries(over ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
