/**
 * The value lists the station core and the operator console share, declared once: codecs, SIP
 * transports, prompt names, destination sources, and the states and outcomes of lines and calls. The
 * configuration schema builds its enums from them, the call log checks what it stores against them and
 * the console's forms and filters offer them.
 *
 * The console bundles this module, so it holds plain `as const` arrays and their union types only: no
 * Node module, and nothing of the station (only the phone protocol's outcome list, which is pure too).
 */
import type { CodecName as NativeCodecName } from '../../native-audio/codecs/codec';
import { CALL_OUTCOMES } from '../../phone-agent/protocol/messages';

/** The audio codecs a line may offer, in the settings' default order (native-audio/codecs implements each). */
export const CODEC_NAMES = ['G722', 'PCMU', 'PCMA'] as const satisfies readonly NativeCodecName[];
export type CodecName = (typeof CODEC_NAMES)[number];

export const SIP_TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
export type SipTransport = (typeof SIP_TRANSPORTS)[number];

/** The station's voice prompts (assets/prompts/<name>.wav unless the settings name another file). */
export const PROMPT_NAMES = ['intro', 'enter-number', 'invalid-number', 'busy', 'not-on-whatsapp', 'echo-test', 'goodbye'] as const;
export type PromptName = (typeof PROMPT_NAMES)[number];

/** Where a call from the PBX may take its WhatsApp number from (calls/destination.ts), tried in the configured order. */
export const DESTINATION_SOURCES = ['display-name', 'caller-id', 'prefix', 'dtmf'] as const;
export type DestinationSource = (typeof DESTINATION_SOURCES)[number];

/** Line registration states; the diagram is in lines/line-state.ts. */
export const LINE_STATES = ['disabled', 'no-device', 'registering', 'registered', 'failed', 'in-call'] as const;
export type LineState = (typeof LINE_STATES)[number];

/** Call states; the diagram is in calls/call-state.ts. */
export const CALL_STATES = ['routing', 'dialing', 'ringing', 'connected', 'ending', 'ended'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** `test-dial`: the operator calls from the PC headset through a line's phone; `echo-test` also covers the station's line echo test. */
export const CALL_DIRECTIONS = ['sip-to-whatsapp', 'whatsapp-to-sip', 'echo-test', 'test-dial'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** How a call ended: a WhatsApp outcome, `answered`, or `filtered` when the policy refused it. */
export const WHATSAPP_OUTCOMES = ['answered', ...CALL_OUTCOMES, 'filtered'] as const;
export type WhatsAppOutcome = (typeof WHATSAPP_OUTCOMES)[number];

/** Who ended the call. */
export const HANGUP_SIDES = ['sip', 'whatsapp', 'station'] as const;
export type HangupSide = (typeof HANGUP_SIDES)[number];

/**
 * Why a call ended abnormally, when it did: the PBX never sent the ACK for the station's 200 (RFC 3261
 * 13.3.1.4, 64*T1), the PBX refused or never answered the station's BYE, or RTP stopped arriving
 * (media.rtpTimeoutS). Null for a call that ended the ordinary way.
 */
export const CALL_END_CAUSES = ['no-ack', 'bye-refused', 'rtp-timeout'] as const;
export type CallEndCause = (typeof CALL_END_CAUSES)[number];

/** How bad an alarm is, worst first (alarms/alarm-rules.ts). */
export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

/** The alarm rules, each built on the station's events (alarms/alarm-rules.ts says what each watches). */
export const ALARM_RULE_IDS = [
  'registration-failed',
  'phone-lost',
  'phone-unauthorized',
  'no-audio-route',
  'account-unhealthy',
  'line-paused',
  'phone-guard',
  'abnormal-end',
  'one-way-audio',
  'no-line-available',
] as const;
export type AlarmRuleId = (typeof ALARM_RULE_IDS)[number];
