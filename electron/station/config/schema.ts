/**
 * The station's configuration: one validated document. The schema is the single declaration; the
 * TypeScript types everywhere else are inferred from it.
 *
 * Rules that span fields (a line names an existing PBX, no two lines share a phone or an extension)
 * are checked here too, so every error names its field path and the reason.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { policySchema } from '../policy/policy-config';
import { ALARM_RULE_IDS, ALARM_SEVERITIES, CODEC_NAMES, DESTINATION_SOURCES, PROMPT_NAMES, SIP_TRANSPORTS } from '../values';

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit');
const host = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or an IP address');
const port = z.number().int('must be a whole number').min(1, 'must be 1-65535').max(65535, 'must be 1-65535');
const sipUser = z.string().regex(/^[A-Za-z0-9_.!~*'()&=+$,;?/-]{1,64}$/, 'must be a SIP user part (1-64 characters, no spaces or "@")');

export const pbxSchema = z.strictObject({
  id,
  /** The registrar: a host name (SRV is looked up when no port is given) or an IP address. */
  host,
  port: port.optional(),
  transport: z.enum(SIP_TRANSPORTS).default('udp'),
  /** Send every request through this proxy instead of the registrar (host or host:port). */
  outboundProxy: z.string().min(1).optional(),
  tls: z
    .strictObject({
      /** PEM file of the CA that signs the PBX certificate; the system CAs when absent. */
      caFile: z.string().min(1).optional(),
      rejectUnauthorized: z.boolean().default(true),
      servername: z.string().min(1).optional(),
    })
    .optional(),
  /** NAT keepalive interval (CRLF over TCP/TLS, OPTIONS over UDP); 0 switches it off. */
  keepaliveSeconds: z.number().int().min(0).max(3600).default(25),
  registerExpires: z.number().int().min(60, 'must be at least 60 seconds').max(86_400).default(300),
});

export const lineSchema = z.strictObject({
  id,
  /** The phone this line runs on: its adb serial. */
  serial: z.string().min(1, 'must name the phone by its adb serial'),
  /** Which PBX (by id) the line registers on. */
  pbx: id,
  user: sipUser,
  authUser: sipUser.optional(),
  password: z.string().min(1, 'must not be empty').max(256),
  displayName: z.string().max(64).optional(),
  /** Codecs in order of preference; the first the PBX also offers wins. */
  codecs: z
    .array(z.enum(CODEC_NAMES, { error: `must be one of ${CODEC_NAMES.join(', ')}` }))
    .min(1, 'must list at least one codec')
    .default(['G722', 'PCMU', 'PCMA']),
  enabled: z.boolean().default(true),
  /** The PBX extension a WhatsApp call arriving on this line rings; absent = such calls are declined. */
  inboundExtension: sipUser.optional(),
  /** Hunting group: a call to this line while it is busy may go out on an idle line of the group. */
  group: id.optional(),
  /** WhatsApp text sent to a caller whose call was declined because the line was busy; none when absent. */
  busyReply: z.string().min(1).max(500).optional(),
  /**
   * The phone's own WhatsApp number. An agent without root cannot read it from WhatsApp, so the line shows
   * and records this one when the agent reports none; what an agent does report wins.
   */
  whatsappNumber: z.string().regex(/^[1-9]\d{6,14}$/, 'must be an international number without +').optional(),
});

const digitsPrefix = z.string().regex(/^\d{1,8}$/, 'must be 1-8 digits');

export const routingSchema = z.strictObject({
  /** Where the WhatsApp number of a PBX call is looked for, in order (dtmf: ask the caller). */
  destinationOrder: z.array(z.enum(DESTINATION_SOURCES)).min(1, 'must list at least one source').default(['display-name', 'caller-id', 'prefix', 'dtmf']),
  /** Routing prefixes stripped from the dialled number; one may send calls to a group of lines. */
  prefixes: z.array(z.strictObject({ prefix: digitsPrefix, group: id.optional() })).default([]),
  /** The echo-test prefix (the origin's 00123); empty string switches it off. */
  testPrefix: z.union([digitsPrefix, z.literal('')]).default('00123'),
  /** The WhatsApp number a line's echo test calls (a contact that answers and echoes); none when absent. */
  echoContact: z.string().regex(/^[1-9]\d{6,14}$/, 'must be an international number without +').optional(),
  /**
   * `local`: the station itself echoes (checks SIP, RTP and codec). An echo through a phone's agent
   * needs a loopback command the agent protocol does not have yet.
   */
  echoTest: z.enum(['local']).default('local'),
  /** A WhatsApp call that has not rung after this long counts as offline (486). */
  offlineTimeoutS: z.number().min(5).max(60).default(18),
  dtmf: z
    .strictObject({
      firstDigitTimeoutS: z.number().min(1).max(60).default(10),
      interDigitTimeoutS: z.number().min(1).max(30).default(5),
      attempts: z.number().int().min(1).max(5).default(3),
    })
    .default({ firstDigitTimeoutS: 10, interDigitTimeoutS: 5, attempts: 3 }),
  /** Serve a call to a busy line from an idle line of its group (least recently used first). */
  hunting: z.boolean().default(true),
});

export const messagesSchema = z.strictObject({
  /**
   * Forward WhatsApp messages received on a line (or on every line) to a WhatsApp number or to a WhatsApp
   * group the phone is in (by its name), as the origin forwards customers' messages to a team's group.
   */
  forward: z
    .array(
      z
        .strictObject({
          line: id.optional(),
          toNumber: z.string().regex(/^[1-9]\d{6,14}$/, 'must be an international number without +').optional(),
          toGroup: z.string().min(1).max(100).optional(),
        })
        .refine((r) => !!r.toNumber !== !!r.toGroup, { message: 'needs exactly one of toNumber and toGroup' }),
    )
    .default([]),
});

export const callLogSchema = z.strictObject({
  /** Call records older than this are deleted (0 keeps them for ever). */
  retentionDays: z.number().int().min(0).max(3650).default(365),
});

/**
 * Call recording (off by default). Recording calls has legal requirements (consent, notice, data
 * protection) that the operator must meet before switching it on: see the README.
 */
export const recordingSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Lines whose answered calls are recorded; with `groups` empty too, every line's. */
  lines: z.array(id).default([]),
  /** Hunting groups whose lines' answered calls are recorded. */
  groups: z.array(id).default([]),
  /** One 16 kHz 16-bit stereo WAV per call: the PBX side on the left channel, the phone side on the right. */
  format: z.literal('wav', { error: 'must be "wav" (16 kHz stereo)' }).default('wav'),
  /** Recordings older than this many days are deleted; 0 keeps them until the size cap needs room. */
  retentionDays: z.number().int('must be a whole number of days').min(0).max(3650).default(90),
  /** The recordings together stay under this many MB (the oldest are deleted first); 0 = no cap. */
  maxTotalMb: z.number().int('must be a whole number of MB').min(0).max(10_000_000).default(10_240),
  /** The folder, inside the station's data folder. */
  folder: z
    .string()
    .regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/, 'must be a folder name inside the data folder (letters, digits, "_", "-", "."; no "/" or "..")')
    .refine((f) => f !== '.' && f !== '..', 'must be a folder name inside the data folder, not "." or ".."')
    .default('recordings'),
});

/**
 * The heat and battery guard (lines/phone-guard.ts): a phone whose battery is hotter than
 * maxTemperatureC, or below minBatteryPercent while not charging, takes no new calls (503 with a
 * Warning, hunting passes it by) until it is back inside the limit by the hysteresis, so it does not flap.
 */
export const guardSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Battery temperature in °C above which the phone stops taking calls (Android throttles from about 45). */
    maxTemperatureC: z.number().min(30).max(80).default(45),
    /** It takes calls again at maxTemperatureC minus this. */
    temperatureHysteresisC: z.number().min(0).max(20).default(3),
    /** Battery level in % below which a phone that is not charging stops taking calls; 0 = never. */
    minBatteryPercent: z.number().int().min(0).max(100).default(15),
    /** It takes calls again at minBatteryPercent plus this (or as soon as it charges). */
    batteryHysteresisPercent: z.number().int().min(0).max(50).default(5),
  })
  .refine((g) => g.temperatureHysteresisC < g.maxTemperatureC, {
    message: 'must be below maxTemperatureC',
    path: ['temperatureHysteresisC'],
  });

export const mediaSchema = z
  .strictObject({
    /** Address RTP sockets bind to and advertise when not 0.0.0.0. */
    bindAddress: z.string().default('0.0.0.0'),
    rtpPortMin: port.default(20_000),
    rtpPortMax: port.default(20_999),
    /** The operator's headset for test dials: sound device names as `audio.devices` lists them; absent = the system default. */
    headset: z.strictObject({ input: z.string().min(1).optional(), output: z.string().min(1).optional() }).optional(),
    /**
     * A connected call that receives no RTP from the PBX for this long is ended (its caller is gone);
     * 0 = off, the default, as some PBXs hold a call without saying so in SDP. A call on hold in SDP
     * (sendonly / inactive) is never ended by it.
     */
    rtpTimeoutS: z.number().int().min(0).max(3600).default(0),
  })
  .refine((m) => m.rtpPortMax - m.rtpPortMin >= 3, {
    message: 'rtpPortMax must be at least rtpPortMin + 3 (one call needs an even RTP port and its RTCP port)',
    path: ['rtpPortMax'],
  });

const severity = z.enum(ALARM_SEVERITIES, { error: `must be one of ${ALARM_SEVERITIES.join(', ')}` });

export const alarmsSchema = z.strictObject({
  /** Off: no rule raises anything (call-record webhooks still go out). */
  enabled: z.boolean().default(true),
  /** Per rule (alarms/alarm-rules.ts has the defaults): switched off, another severity, another hold-off. */
  rules: z
    .partialRecord(
      z.enum(ALARM_RULE_IDS, { error: `must be one of ${ALARM_RULE_IDS.join(', ')}` }),
      z.strictObject({
        enabled: z.boolean().optional(),
        severity: severity.optional(),
        /** Raise only if still wrong after this long; for one-shot rules, the quiet period that groups repeats. */
        holdOffS: z.number().int().min(0).max(86_400).optional(),
      }),
    )
    .default({}),
});

const webUrl = z.string().refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'must be an http:// or https:// URL');

export const receiverSchema = z.strictObject({
  id,
  url: webUrl,
  /** The HMAC-SHA256 key of the X-Sip2wa-Signature header (README, Webhooks). Stored like a SIP password. */
  secret: z.string().min(16, 'must be at least 16 characters').max(256),
  /** Send alarms at or above this severity; 'none' sends none. */
  alarms: z.enum([...ALARM_SEVERITIES, 'none'] as const).default('warning'),
  /** One POST per finished call with its record. */
  callRecords: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

export const webhooksSchema = z.strictObject({
  receivers: z.array(receiverSchema).default([]),
  /** Deliveries kept on disk per receiver while it is down; beyond it the oldest are dropped (and that is reported). */
  queueLimit: z.number().int().min(10).max(1_000_000).default(10_000),
  /** A receiver that has not answered within this long is retried. */
  timeoutS: z.number().min(1).max(120).default(10),
  /** Retries wait retryInitialS, then twice as long each time, up to retryMaxS (with jitter). */
  retryInitialS: z.number().min(0.05).max(3600).default(5),
  retryMaxS: z.number().min(0.05).max(86_400).default(600),
});

const email = z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an email address');

export const emailSchema = z.strictObject({
  enabled: z.boolean().default(true),
  host,
  port: port.default(587),
  /** starttls: upgrade a plain connection (port 587); tls: TLS from the start (465); none: only on a trusted LAN. */
  security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  user: z.string().min(1).max(256).optional(),
  /** Stored like a SIP password. */
  password: z.string().min(1).max(256).optional(),
  from: email,
  to: z.array(email).min(1, 'must name at least one address'),
  /** Mail alarms at or above this severity. */
  minSeverity: severity.default('major'),
  /** A CA file for a server whose certificate the system CAs do not sign. */
  caFile: z.string().min(1).optional(),
});

export const whatsappAlarmSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** The line whose phone sends the text. */
  line: id,
  to: z.string().regex(/^[1-9]\d{6,14}$/, 'must be an international number without +'),
  minSeverity: severity.default('critical'),
});

export const configSchema = z
  .strictObject({
    version: z.literal(1, { error: 'must be 1 (this station reads configuration version 1)' }),
    /**
     * The name every call record of this station carries in its exports (and Master.csv's uniqueid
     * prefix), so records of several stations can be merged; the PC's host name when absent.
     */
    stationId: id.optional(),
    pbx: z.array(pbxSchema).default([]),
    lines: z.array(lineSchema).default([]),
    media: mediaSchema.default({ bindAddress: '0.0.0.0', rtpPortMin: 20_000, rtpPortMax: 20_999, rtpTimeoutS: 0 }),
    routing: routingSchema.default(() => routingSchema.parse({})),
    messages: messagesSchema.default({ forward: [] }),
    /** Your own prompt WAVs (16 kHz mono 16-bit) in place of the built-in ones. */
    prompts: z.partialRecord(z.enum(PROMPT_NAMES), z.string().min(1)).default({}),
    callLog: callLogSchema.default({ retentionDays: 365 }),
    recording: recordingSchema.default(() => recordingSchema.parse({})),
    /** The desktop app: start it when the user logs in (XDG autostart on Linux, the login items on Windows/macOS). */
    desktop: z.strictObject({ startAtLogin: z.boolean().default(false) }).default({ startAtLogin: false }),
    /** The origin's rules and the anti-ban limits (policy/policy-config.ts). */
    policy: policySchema.prefault({}),
    /** Alarm rules on the station's events (alarms/alarm-rules.ts). */
    alarms: alarmsSchema.prefault({}),
    /** Signed HTTP webhooks for alarms and call records, with an on-disk queue and retries. */
    webhooks: webhooksSchema.prefault({}),
    /** Alarms by email (SMTP); none when absent. */
    email: emailSchema.optional(),
    /** Alarms as a WhatsApp text from a line's phone; none when absent. */
    whatsappAlarms: whatsappAlarmSchema.optional(),
    /** The heat and battery guard (lines/phone-guard.ts). */
    guard: guardSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    const pbxIds = new Set<string>();
    config.pbx.forEach((p, i) => {
      if (pbxIds.has(p.id)) ctx.addIssue({ code: 'custom', path: ['pbx', i, 'id'], message: `"${p.id}" is used by another PBX` });
      pbxIds.add(p.id);
    });
    const seen = { id: new Set<string>(), serial: new Set<string>(), account: new Set<string>(), whatsapp: new Set<string>() };
    config.lines.forEach((line, i) => {
      if (!pbxIds.has(line.pbx)) {
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'pbx'], message: `no PBX has the id "${line.pbx}"` });
      }
      if (seen.id.has(line.id)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'id'], message: `"${line.id}" is used by another line` });
      if (seen.serial.has(line.serial)) {
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'serial'], message: `phone ${line.serial} already carries another line (one line per phone)` });
      }
      const account = `${line.user}@${line.pbx}`;
      if (seen.account.has(account)) {
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'user'], message: `extension ${line.user} on ${line.pbx} is used by another line` });
      }
      if (line.whatsappNumber && seen.whatsapp.has(line.whatsappNumber)) {
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'whatsappNumber'], message: `WhatsApp ${line.whatsappNumber} is the number of another line's phone` });
      }
      seen.id.add(line.id);
      seen.serial.add(line.serial);
      seen.account.add(account);
      if (line.whatsappNumber) seen.whatsapp.add(line.whatsappNumber);
    });
    for (const lineId of Object.keys(config.policy.lines ?? {})) {
      if (!seen.id.has(lineId)) ctx.addIssue({ code: 'custom', path: ['policy', 'lines', lineId], message: `no line has the id "${lineId}"` });
    }
    const groups = new Set(config.lines.map((l) => l.group).filter(Boolean));
    config.routing.prefixes.forEach((p, i) => {
      if (p.group && !groups.has(p.group)) ctx.addIssue({ code: 'custom', path: ['routing', 'prefixes', i, 'group'], message: `no line is in group "${p.group}"` });
    });
    const receivers = new Set<string>();
    config.webhooks.receivers.forEach((r, i) => {
      if (receivers.has(r.id)) ctx.addIssue({ code: 'custom', path: ['webhooks', 'receivers', i, 'id'], message: `"${r.id}" is used by another receiver` });
      receivers.add(r.id);
    });
    if (config.webhooks.retryMaxS < config.webhooks.retryInitialS) {
      ctx.addIssue({ code: 'custom', path: ['webhooks', 'retryMaxS'], message: 'must be at least retryInitialS' });
    }
    if (config.email && !!config.email.user !== !!config.email.password) {
      ctx.addIssue({ code: 'custom', path: ['email', config.email.user ? 'password' : 'user'], message: 'user and password go together' });
    }
    if (config.whatsappAlarms && !seen.id.has(config.whatsappAlarms.line)) {
      ctx.addIssue({ code: 'custom', path: ['whatsappAlarms', 'line'], message: `no line has the id "${config.whatsappAlarms.line}"` });
    }
    config.recording.lines.forEach((l, i) => {
      if (!seen.id.has(l)) ctx.addIssue({ code: 'custom', path: ['recording', 'lines', i], message: `no line has the id "${l}"` });
    });
    config.recording.groups.forEach((g, i) => {
      if (!groups.has(g)) ctx.addIssue({ code: 'custom', path: ['recording', 'groups', i], message: `no line is in group "${g}"` });
    });
    config.messages.forward.forEach((f, i) => {
      if (f.line && !seen.id.has(f.line)) ctx.addIssue({ code: 'custom', path: ['messages', 'forward', i, 'line'], message: `no line has the id "${f.line}"` });
    });
  });

export type StationConfig = z.infer<typeof configSchema>;
export type PbxConfig = z.infer<typeof pbxSchema>;
export type LineConfig = z.infer<typeof lineSchema>;
export type MediaConfig = z.infer<typeof mediaSchema>;
export type { CodecName } from '../values';
export type RoutingConfig = z.infer<typeof routingSchema>;
export type AlarmsConfig = z.infer<typeof alarmsSchema>;
export type WebhooksConfig = z.infer<typeof webhooksSchema>;
export type ReceiverConfig = z.infer<typeof receiverSchema>;
export type EmailConfig = z.infer<typeof emailSchema>;
export type WhatsappAlarmConfig = z.infer<typeof whatsappAlarmSchema>;
export type RecordingConfig = z.infer<typeof recordingSchema>;
export type GuardConfig = z.infer<typeof guardSchema>;

/** The station's id: the configured one, or the host name. */
export function stationIdOf(config: Pick<StationConfig, 'stationId'>): string {
  return config.stationId ?? hostname();
}

/** The configuration of a station that nobody has configured yet: phones show up as lines without SIP. */
export function emptyConfig(): StationConfig {
  return configSchema.parse({ version: 1 });
}
