/**
 * Call states and outcomes.
 *
 *   routing --destination found, phone asked to dial--> dialing --WhatsApp rings--> ringing
 *      |                                                   |                          |
 *      |                                                   +-------answered-----------+--> connected
 *      +--refused (no phone, busy, bad number)--+          |                          |        |
 *                                               v          v  (rejected, offline...)  v        v
 *                                              ending ---------------------------------> ended
 *
 * Inbound calls (WhatsApp -> SIP) walk the same states: `dialing` is the INVITE towards the PBX and
 * `ringing` its 180.
 */
import type { MessageOf } from '../../../phone-agent/protocol';
import type { RtpSessionStats } from '../media/rtp-session';

export const CALL_STATES = ['routing', 'dialing', 'ringing', 'connected', 'ending', 'ended'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** `test-dial`: the operator calls from the PC headset through a line's phone; `echo-test` also covers the station's line echo test. */
export type CallDirection = 'sip-to-whatsapp' | 'whatsapp-to-sip' | 'echo-test' | 'test-dial';

/** How a call ended: a WhatsApp outcome, `answered`, or `filtered` when the policy refused it. */
export type WhatsAppOutcome = MessageOf<'call-ended'>['outcome'] | 'answered' | 'filtered';

/** Who ended the call. */
export type HangupSide = 'sip' | 'whatsapp' | 'station';

/**
 * The SIP final response for a WhatsApp outcome, as the origin's customers know them (DESIGN.md):
 * 486 for rejected, offline and busy, 488 for a number not on WhatsApp.
 */
export function sipCodeFor(outcome: WhatsAppOutcome): { code: number; reason: string } {
  switch (outcome) {
    case 'answered':
      return { code: 200, reason: 'OK' };
    case 'rejected':
      return { code: 486, reason: 'Busy Here (rejected on WhatsApp)' };
    case 'offline':
      return { code: 486, reason: 'Busy Here (WhatsApp user offline)' };
    case 'no-answer':
      return { code: 486, reason: 'Busy Here (no answer on WhatsApp)' };
    case 'busy':
      return { code: 486, reason: 'Busy Here (WhatsApp user busy)' };
    case 'remote-hangup':
      return { code: 486, reason: 'Busy Here (WhatsApp call ended)' };
    case 'not-on-whatsapp':
      return { code: 488, reason: 'Not Acceptable Here (not on WhatsApp)' };
    case 'local-hangup':
      return { code: 487, reason: 'Request Terminated' };
    case 'error':
      return { code: 503, reason: 'Service Unavailable (phone error)' };
    case 'filtered':
      return { code: 503, reason: 'Service Unavailable (filtered)' };
  }
}

/** Text made safe inside a quoted-string of a SIP header (RFC 3261 section 25.1). */
export function quotable(text: string): string {
  return text.replace(/["\\\r\n]/g, "'");
}

/** A Reason header (RFC 3326) saying why the station ended a call, on a BYE, CANCEL or final response. */
export function reasonHeader(cause: number, text: string): string {
  return `Reason: SIP;cause=${cause};text="${quotable(text)}"`;
}

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

export function callMediaStats(s: RtpSessionStats): CallMediaStats {
  const { packetsSent, packetsReceived, lost, jitterMs, late, discarded, levelInDbfs, levelOutDbfs, foreignPackets } = s;
  return { packetsSent, packetsReceived, lost, jitterMs, late, discarded, levelInDbfs, levelOutDbfs, foreignPackets };
}
