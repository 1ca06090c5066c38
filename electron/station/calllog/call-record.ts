/**
 * The call record: what the station keeps of every call once it is over, for the operator's history,
 * statistics and exports. Declared once here; storage (call-log-schema.ts), queries, statistics and
 * exports are derived from these types.
 *
 * A record's life:
 *
 *   start() --> open (ended_at NULL) --update()*--> finish() --> closed
 *                  |
 *                  +--station killed--> recoverInterrupted() at next start --> closed, 'interrupted'
 *
 * Times enter as epoch milliseconds (or Date) and leave as ISO 8601 strings, like the live call model
 * (api/types.ts `CallView`).
 */
import { CALL_DIRECTIONS, DESTINATION_SOURCES as ROUTING_SOURCES, WHATSAPP_OUTCOMES, type CallEndCause, type HangupSide } from '../values';

/**
 * Live directions, including the operator's checks: the echo test (a call that checks the audio path)
 * and the test dial (the operator's own call from the PC headset).
 */
export const CALL_LOG_DIRECTIONS = CALL_DIRECTIONS;
export type CallLogDirection = (typeof CALL_LOG_DIRECTIONS)[number];

/** How the destination number was found (calls/destination.ts), or 'inbound' for calls from WhatsApp. */
export const DESTINATION_SOURCES = [...ROUTING_SOURCES, 'inbound'] as const;
export type DestinationSource = (typeof DESTINATION_SOURCES)[number];

/**
 * The live outcomes (the phone's, 'answered', and 'filtered' when a policy rule stopped the call before
 * the phone dialled) plus one the live call never has: 'interrupted' (the station died during the call).
 */
export const CALL_LOG_OUTCOMES = [...WHATSAPP_OUTCOMES, 'interrupted'] as const;
export type LoggedOutcome = (typeof CALL_LOG_OUTCOMES)[number];

/** An instant: epoch milliseconds or a Date. */
export type Instant = number | Date;

/**
 * RTP counters of the SIP leg at the end of the call (or the latest report). Named as the live model's
 * `CallMediaStats` (api/types.ts) names them, so a call's stats are passed as they are.
 */
export interface RtpStats {
  packetsSent: number;
  packetsReceived: number;
  /** Packets lost on the PBX's stream (RFC 3550 A.3). */
  lost: number;
  /** Interarrival jitter (RFC 3550 section 6.4.1) in milliseconds. */
  jitterMs: number;
}

/** What is known when a call starts; the record is written at once so a crash cannot lose it. */
export interface CallStart {
  /** The live call's id (calls/call.ts `Call.id`). */
  callId: string;
  /** The SIP dialog's Call-ID header; null for echo tests and calls refused before any SIP. */
  sipCallId?: string | null;
  direction: CallLogDirection;
  /** The line whose extension the call was for (the PBX called it, or its phone rang). */
  lineId: string;
  /** The line whose phone carried the call; another line of the group when hunted; null until known. */
  carrierLineId?: string | null;
  /** The phone's adb serial. */
  deviceSerial?: string | null;
  /** The WhatsApp account (its number) on the phone. */
  whatsappAccount?: string | null;
  /** The line's SIP account, user@pbx. */
  sipAccount?: string | null;
  /** SIP caller-ID for calls to WhatsApp, the WhatsApp number for calls from WhatsApp. */
  caller: string;
  /** The number dialled: WhatsApp number or PBX extension; empty while DTMF collection runs. */
  destination: string;
  destinationSource?: DestinationSource | null;
  /** When the call reached the station (the INVITE, or the phone's incoming call); default now. */
  startedAt?: Instant;
}

/** What becomes known during a call; any subset. */
export interface CallUpdate {
  sipCallId?: string | null;
  carrierLineId?: string | null;
  deviceSerial?: string | null;
  whatsappAccount?: string | null;
  destination?: string;
  destinationSource?: DestinationSource | null;
  ringingAt?: Instant | null;
  answeredAt?: Instant | null;
  codec?: string | null;
  rtp?: RtpStats | null;
  /** Why the call ended abnormally (it may be learnt after the end: a BYE refused). */
  endCause?: CallEndCause | null;
  /** Why the station ended the call when no rule did, in words naming what failed (the phone lost). */
  endReason?: string | null;
  /** The file name of the call's recording in the recordings folder. */
  recording?: string | null;
  /**
   * INVITE to ringing. When absent and `ringingAt` is first set, it is taken as `ringingAt - startedAt`,
   * which is right for calls to WhatsApp; calls from WhatsApp pass it (their INVITE leaves later).
   */
  postDialDelayMs?: number | null;
}

/** How a call ended; may carry the last of what `update` carries. */
export interface CallEnd extends CallUpdate {
  outcome: LoggedOutcome;
  /** Default now. */
  endedAt?: Instant;
  /** The SIP final response code sent or received. */
  sipCode?: number | null;
  hangupSide?: HangupSide | null;
  /** The policy rule that stopped the call (outcome 'filtered'). */
  policyRule?: string | null;
  /**
   * Billing stops here when it is before `endedAt`: the caller was gone before the station knew it
   * (no ACK, RTP timeout), so the call is billed to the last RTP heard from them.
   */
  billedUntil?: Instant | null;
}

/** A stored call, as queries and exports return it. */
export interface CallRecord {
  id: string;
  callId: string;
  sipCallId: string | null;
  direction: CallLogDirection;
  /** The line whose extension was called. */
  lineId: string;
  /** The line whose phone carried the call (differs from `lineId` when hunted); null if no phone did. */
  carrierLineId: string | null;
  deviceSerial: string | null;
  whatsappAccount: string | null;
  sipAccount: string | null;
  caller: string;
  destination: string;
  destinationSource: DestinationSource | null;
  startedAt: string;
  ringingAt: string | null;
  answeredAt: string | null;
  /** Null while the call is in progress. */
  endedAt: string | null;
  /** Start to end, millisecond precision; null while in progress. */
  durationSeconds: number | null;
  /** Answer to end (or to where billing stopped, see `endCause`), rounded up to whole seconds; 0 for calls never answered. */
  billableSeconds: number | null;
  sipCode: number | null;
  outcome: LoggedOutcome | null;
  hangupSide: HangupSide | null;
  policyRule: string | null;
  endReason: string | null;
  /** The call ended abnormally: no ACK from the PBX, a BYE refused, or an RTP timeout; null otherwise. */
  endCause: CallEndCause | null;
  /**
   * The call's recording (a stereo WAV, PBX side left, phone side right) as a file name in the
   * recordings folder; GET /api/calls/{id}/recording serves it. Null: not recorded, or deleted by retention.
   */
  recording: string | null;
  codec: string | null;
  rtp: RtpStats | null;
  postDialDelayMs: number | null;
  /**
   * The station died during the call: `endedAt` is its last heartbeat (within a few seconds of the
   * crash), not an end it saw.
   */
  endApproximate: boolean;
  /** The last write or heartbeat: a crashed call's end time. */
  updatedAt: string;
}

/** Which records a query, statistic or export covers. Every field narrows; absent = no narrowing. */
export interface CallFilter {
  /** Calls started at or after. */
  from?: Instant;
  /** Calls started before (exclusive). */
  to?: Instant;
  /** The called line or the line that carried the call: either matches. */
  lineId?: string | readonly string[];
  direction?: CallLogDirection | readonly CallLogDirection[];
  outcome?: LoggedOutcome | readonly LoggedOutcome[];
  /** Part of the caller or destination number. */
  number?: string;
}

export function toEpochMs(at: Instant, what: string): number {
  const ms = at instanceof Date ? at.getTime() : at;
  if (!Number.isFinite(ms)) throw new Error(`call log: ${what} is not a valid time (${String(at)})`);
  return Math.round(ms);
}

/** Answered time rounded up to whole seconds, as carriers bill it. */
export function billableSeconds(answeredAt: number | null, endedAt: number): number {
  return answeredAt === null ? 0 : Math.ceil(Math.max(0, endedAt - answeredAt) / 1000);
}

/** Throws naming the field when `value` is not one of `allowed`. */
export function checkOneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`call log: ${field} "${value}" is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}
