/**
 * SIP -> WhatsApp: a PBX user's INVITE to a line becomes a WhatsApp call from the line's phone.
 *
 * The phone's progress drives the SIP answer as the PBX expects: 180 when WhatsApp rings, 200 (with
 * media) when the WhatsApp user answers, and the final codes of DESIGN.md when it does not (486, 488).
 * A CANCEL or BYE from the PBX hangs up the WhatsApp call at once.
 */
import { SessionState, type Invitation } from 'sip.js';
import type { AgentPort } from '../lines/agent-port';
import type { Logger } from '../util/log';
import { Call } from './call';
import { sipCodeFor } from './call-state';

export interface OutboundContext {
  port: AgentPort;
  log: Logger;
  /** The next station-side call id for the phone (1..0x7FFFFFFF). */
  nextPhoneCallId(): number;
}

/** International digits without "+", or null. */
export function normaliseNumber(raw: string | undefined): string | null {
  if (!raw) return null;
  const digits = raw.replace(/^\s*(\+|00)/, '').replace(/[\s().-]/g, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? digits : null;
}

/**
 * Where the call goes: the caller's display name when it is a number (the origin's rule a), else the
 * caller-ID (a PBX dialplan that sets CALLERID(all) to the dialled number).
 */
export function destinationOf(invitation: Invitation): { number: string; from: 'display-name' | 'caller-id' } | null {
  const display = normaliseNumber(invitation.remoteIdentity.displayName);
  if (display) return { number: display, from: 'display-name' };
  const user = normaliseNumber(invitation.remoteIdentity.uri.user);
  if (user) return { number: user, from: 'caller-id' };
  return null;
}

export function handleSipToWhatsApp(ctx: OutboundContext, invitation: Invitation): Call | null {
  const destination = destinationOf(invitation);
  if (!destination) {
    void invitation.reject({ statusCode: 484, reasonPhrase: 'Address Incomplete (no WhatsApp number in display name or caller ID)' });
    ctx.log.warn('refused an INVITE without a WhatsApp number in its display name or caller ID');
    return null;
  }
  if (!ctx.port.isUp) {
    void invitation.reject({ statusCode: 503, reasonPhrase: 'Service Unavailable (phone not ready)' });
    return null;
  }
  const call = new Call('sip-to-whatsapp', destination.number, ctx.nextPhoneCallId(), ctx.port, ctx.log);
  const hangUpPhone = (): void => void ctx.port.send({ type: 'hang-up', callId: call.phoneCallId });

  call.on('phone', (m) => {
    switch (m.type) {
      case 'call-dialing':
        return call.set('dialing');
      case 'call-ringing':
        call.set('ringing');
        if (invitation.state === SessionState.Initial) void invitation.progress({ statusCode: 180 }).catch(() => undefined);
        return;
      case 'call-connected':
        void invitation
          .accept()
          .then(async () => {
            call.set('connected');
            await call.bridgeMedia(invitation);
          })
          .catch((err: Error) => {
            ctx.log.warn(`call ${call.id}: answering the PBX failed: ${err.message}`);
            hangUpPhone();
            call.finish('error', 500, 'station');
          });
        return;
      case 'call-ended': {
        const answered = call.state === 'connected';
        if (answered) {
          void invitation.bye().catch(() => undefined);
          call.finish('answered', 200, 'whatsapp');
        } else {
          const { code, reason } = sipCodeFor(m.outcome);
          if (invitation.state === SessionState.Initial || invitation.state === SessionState.Establishing) {
            void invitation.reject({ statusCode: code, reasonPhrase: reason }).catch(() => undefined);
          }
          call.finish(m.outcome, code, 'whatsapp');
        }
        return;
      }
      case 'error':
        return;
    }
  });

  invitation.stateChange.addListener((state) => {
    if (state !== SessionState.Terminated || call.ended) return;
    // CANCEL before the answer, or BYE after it: the PBX side hung up.
    hangUpPhone();
    if (call.state === 'connected') call.finish('answered', 200, 'sip');
    else call.finish('local-hangup', 487, 'sip');
  });

  call.set('routing');
  ctx.port.send({ type: 'dial', callId: call.phoneCallId, number: destination.number });
  return call;
}
