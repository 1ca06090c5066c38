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

export const CALL_STATES = ['routing', 'dialing', 'ringing', 'connected', 'ending', 'ended'] as const;
export type CallState = (typeof CALL_STATES)[number];

export type CallDirection = 'sip-to-whatsapp' | 'whatsapp-to-sip';

export type WhatsAppOutcome = MessageOf<'call-ended'>['outcome'] | 'answered';

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
  }
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
}
