/**
 * Call states and outcomes.
 *
 *   routing --phone asked to dial--> dialing --WhatsApp rings--> ringing --WhatsApp answers--> connected
 *    | ^                                 \________answered without a ring (or the PBX's 200)____^  | |
 *    | +--------------------------the caller typed the number (DTMF)------------------------------+ |
 *    +--the PBX call answered first (DTMF collection, echo test)-------------------------------------+
 *
 *   routing, dialing, ringing, connected --the station hangs up the phone--> ending
 *   ending --the phone's call-ended, or none in time--> ended
 *   routing, dialing, ringing, connected --refused, rejected, offline, a side hung up, phone lost--> ended
 *   connected --no ACK for the 200 within 64*T1, or no RTP for media.rtpTimeoutS--> ended (endCause)
 *   ended --the station's BYE refused or unanswered--> ended (endCause bye-refused, said late)
 *
 * Inbound calls (WhatsApp -> SIP) walk the same states: `dialing` is the INVITE towards the PBX and
 * `ringing` its 180. A call the PBX answered before its WhatsApp call was placed (DTMF collection) is
 * `connected` first, then goes back to `routing` when the caller has typed the number. `ending` is the
 * station's hang-up on the phone, waiting for the phone's `call-ended` (calls/whatsapp-leg.ts).
 */
import type { CallMediaStats } from '../api/types';
import type { RtpSessionStats } from '../media/rtp-session';
import type { CallState, WhatsAppOutcome } from '../values';

// The states, directions, outcomes and the call's view are declared with the other shared values and
// the API's read model; the call flows take them from here.
export type { CallDirection, CallState, HangupSide, WhatsAppOutcome } from '../values';
export type { CallMediaStats, CallView } from '../api/types';

/** The transitions the diagram above allows, and no others (Call.set throws for the rest). */
export const CALL_TRANSITIONS: { readonly [from in CallState]: readonly CallState[] } = {
  routing: ['dialing', 'connected', 'ending', 'ended'],
  dialing: ['ringing', 'connected', 'ending', 'ended'],
  ringing: ['connected', 'ending', 'ended'],
  connected: ['routing', 'ending', 'ended'],
  ending: ['ended'],
  ended: [],
};

/** Throws naming both states when `to` may not follow `from` (as sip.js's Session does). */
export function checkTransition(from: CallState, to: CallState): void {
  if (!CALL_TRANSITIONS[from].includes(to)) throw new Error(`Invalid call state transition from ${from} to ${to}`);
}

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
