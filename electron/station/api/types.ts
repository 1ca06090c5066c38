/**
 * The station's read model as the API serves it: one object per line. Declared once here; the HTTP
 * server, the future WebSocket and IPC adapters and the console all use these types.
 */
import type { LineToday } from '../calllog/line-today';
import type { AccountState } from '../../../phone-agent/protocol/messages';
import type { AgentInfo } from '../devices/agent-link';
import type { DeviceProps, DeviceState } from '../devices/device-state';
import type { RtpSessionStats } from '../media/rtp-session';
import type { LockKind } from '../policy/lock-after';
import type { AlarmRuleId, AlarmSeverity, CallDirection, CallEndCause, CallState, HangupSide, LineState, WhatsAppOutcome } from '../values';

export type { LineToday } from '../calllog/line-today';
export type { AudioDevice } from '../../../native-audio/local-audio-devices';

export interface LineDeviceView {
  serial: string;
  state: DeviceState;
  detail: string;
  since: string;
  lastError: { message: string; at: string } | null;
  props: DeviceProps | null;
  pingRttMs: number | null;
}

export interface LineView {
  id: string;
  /** Null while the line's phone has never been seen by adb. */
  device: LineDeviceView | null;
  agent: AgentInfo | null;
  registration: { state: LineState; reason: string; code: number | null };
  /**
   * The call the line's phone carries now, from routing to ending; null once it has ended, so `call`
   * answers "is this line in a call" the way the line's state `in-call` does.
   */
  call: CallView | null;
  /** The line's most recent ended call (outcome, SIP code, end reason), kept while the next call runs; null before the first. */
  lastCall: CallView | null;
  /** The SIP extension, PBX id and hunting group; null for a phone no line claims. */
  sip: { user: string; pbx: string; group: string | null; enabled: boolean } | null;
  /** Today's figures (local day) against the line's anti-ban caps (null cap = no limit). */
  today: LineToday | null;
  /**
   * A lock-after pause in force (policy/lock-after.ts): the line is out of hunting and a call to it is
   * refused with 503 until `until` (ISO 8601) or until the operator lifts it (`line.liftPause`); null
   * when the line is not paused.
   */
  paused: LinePauseView | null;
  /**
   * The WhatsApp account's state as the phone's agent last reported it (protocol v3), and since when;
   * null before the agent first reported. Any state but registered and unknown takes the line out of
   * hunting and answers calls straight to it with 503 and a Warning.
   */
  account: LineAccountView | null;
  /** The heat and battery guard holds the line (settings `guard`): no new calls until the phone recovers; null when it does not. */
  guard: LineGuardView | null;
}

export interface LinePauseView {
  rule: 'lock-after';
  /** Which run paused it: calls that failed on the phone side, calls not answered, or very short calls. */
  kind: LockKind;
  reason: string;
  since: string;
  until: string;
}

export interface LineAccountView {
  state: AccountState;
  since: string;
}

export interface LineGuardView {
  /** hot: battery above guard.maxTemperatureC; low-battery: below guard.minBatteryPercent and not charging. */
  trip: 'hot' | 'low-battery';
  /** In words, e.g. "phone of wa3 is too hot (46.5 °C, limit 45 °C)": the 503's Warning says the same. */
  reason: string;
  since: string;
}

/** A call as the line's card shows it (calls/call.ts `Call.view()`); its states are drawn in calls/call-state.ts. */
export interface CallView {
  id: string;
  direction: CallDirection;
  state: CallState;
  /** The WhatsApp side's number (international digits). */
  number: string;
  name: string;
  codec: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  outcome: WhatsAppOutcome | null;
  sipCode: number | null;
  hangupSide: HangupSide | null;
  /** DTMF digits received from the PBX side during the call. */
  dtmf: string;
  callerId: string;
  /** Where the WhatsApp number came from (display name, caller ID, prefix, DTMF), or inbound. */
  destinationSource: string | null;
  /** The policy rule that refused the call. */
  rule: string | null;
  /** Why the station ended the call when no rule did, e.g. "phone VP0001 lost (unplugged)". */
  endReason: string | null;
  /** The call ended abnormally (no ACK, BYE refused, RTP timeout); `endReason` says it in words. */
  endCause: CallEndCause | null;
  sipLineId: string;
  /** The line whose phone carried the WhatsApp call (another line of the group when hunted). */
  phoneLineId: string | null;
  ringingAt: string | null;
  /** The call's RTP stream, refreshed as the media engine pulls stats (about once a second); null before media. */
  stats: CallMediaStats | null;
}

/**
 * What the operator sees of a call's RTP stream: packets each way, loss and jitter as measured on the
 * PBX's stream (RFC 3550 A.3, A.8), packets too late for playout and frames dropped to cut delay, and
 * the levels in dBFS of the PBX side's audio (in, played to the phone) and of the phone's (out), and
 * the RTP packets dropped because a stranger sent them to the call's port (an attempted hijack).
 */
export type CallMediaStats = Pick<
  RtpSessionStats,
  'packetsSent' | 'packetsReceived' | 'lost' | 'jitterMs' | 'late' | 'discarded' | 'levelInDbfs' | 'levelOutDbfs' | 'foreignPackets'
>;

export interface StationInfo {
  version: string;
  /** Started with --demo: virtual phones and simulated contacts. */
  demo: boolean;
  /** Demo contacts the operator can test-dial (number, name, behaviour). */
  demoContacts: { number: string; name: string; behaviour: string }[];
  pbxConfigured: boolean;
  /** Whether test dial has the PC's sound devices, and why not. */
  audio: { available: boolean; reason: string | null };
  /** The number line.echoTest calls when none is given; null when not configured. */
  echoNumber: string | null;
}

/** One entry of the events panel. */
export interface StationLogEntry {
  id: number;
  at: string;
  level: 'info' | 'warn' | 'error';
  /**
   * What the entry is about: registration, device, agent, rule, call, config, audio; account (the
   * WhatsApp account's health), pause (a line paused by a lock-after rule, or resumed), guard (a phone
   * too hot or its battery too low to take calls), alarm (an alarm's delivery). A warn or error entry
   * says something went wrong; a later info entry of the same kind and line says it is well again.
   */
  kind: 'registration' | 'device' | 'agent' | 'rule' | 'call' | 'config' | 'audio' | 'account' | 'pause' | 'guard' | 'alarm';
  lineId: string | null;
  message: string;
  /**
   * What exactly went wrong, where the kind alone does not say: 'phone-lost', 'phone-unauthorized',
   * 'phone-failed' (device), 'abnormal-end' (call), 'no-audio-route' (agent). The alarm rules match on it.
   */
  tag?: string;
}

/**
 * An alarm (alarms/alarm-engine.ts): raised by a rule when a line stayed wrong for its hold-off,
 * cleared when the line is well again. One-shot alarms (an abnormal call end) are never cleared by an
 * event: they leave 'firing' once their rule's quiet period passed without a repeat, and say no clear.
 */
export interface AlarmView {
  id: string;
  rule: AlarmRuleId;
  severity: AlarmSeverity;
  state: 'firing' | 'cleared';
  oneShot: boolean;
  lineId: string | null;
  /** The phone of the line, when the configuration names one. */
  serial: string | null;
  message: string;
  /** Why it cleared; null while firing and for one-shot alarms. */
  clearMessage: string | null;
  firstAt: string;
  lastAt: string;
  clearedAt: string | null;
  /** How many events it stands for (repeats while firing are counted, not sent again). */
  count: number;
}

/** A delivery that failed for good (a 4xx from the receiver, or dropped because its queue was full). */
export interface DeliveryFailure {
  at: string;
  /** The receiver's id ('email', 'whatsapp' for those channels). */
  receiver: string;
  /** What was being delivered: an alarm, a call record, a test alarm, a drop notice. */
  what: string;
  reason: string;
}

/** What GET /api/alarms and alarms.list return. */
export interface AlarmsView {
  firing: AlarmView[];
  /** Cleared alarms, newest first (bounded). */
  recent: AlarmView[];
  /** Per receiver: deliveries waiting in its on-disk queue, the next attempt and the last error. */
  receivers: { id: string; queued: number; nextAttemptAt: string | null; lastError: string | null }[];
  /** Failures for good, newest first (bounded). */
  failures: DeliveryFailure[];
}

/** What "Send test alarm" says for each receiver. */
export interface TestAlarmResult {
  receiver: string;
  delivered: boolean;
  /** The HTTP status, SMTP reply or error in words. */
  detail: string;
}

export interface EchoTestResult {
  ok: boolean;
  lineId: string;
  number: string;
  /** Time from sending the test signal to hearing it back. */
  roundTripMs: number | null;
  /** Correlation of what came back with what was sent, 0..1. */
  correlation: number | null;
  levelDbfs: number | null;
  message: string;
}

/** The operator's test call from the headset. */
export interface TestDialView {
  lineId: string;
  number: string;
  callId: string;
  state: CallView['state'];
  muted: boolean;
  startedAt: string;
  answeredAt: string | null;
  /** Headset levels in dBFS: mic (to the phone) and speaker (from the phone). */
  levelMicDbfs: number | null;
  levelSpeakerDbfs: number | null;
  /** Why the headset is not used (no sound device): the call then carries silence. */
  audioProblem: string | null;
  outcome: string | null;
}
