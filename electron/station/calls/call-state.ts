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
import type { CallMediaStats } from '../api/types';
import type { RtpSessionStats } from '../media/rtp-session';
import type { WhatsAppOutcome } from '../values';

// The states, directions, outcomes and the call's view are declared with the other shared values and
// the API's read model; the call flows take them from here.
export type { CallDirection, CallState, HangupSide, WhatsAppOutcome } from '../values';
export type { CallMediaStats, CallView } from '../api/types';

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

export function callMediaStats(s: RtpSessionStats): CallMediaStats {
  const { packetsSent, packetsReceived, lost, jitterMs, late, discarded, levelInDbfs, levelOutDbfs, foreignPackets } = s;
  return { packetsSent, packetsReceived, lost, jitterMs, late, discarded, levelInDbfs, levelOutDbfs, foreignPackets };
}
