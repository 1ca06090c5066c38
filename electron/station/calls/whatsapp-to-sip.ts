/**
 * WhatsApp -> SIP: a WhatsApp call arriving on a line's phone rings a PBX extension through the line's
 * account, with the WhatsApp caller's number as caller ID and their name as display name. The PBX
 * answering answers the WhatsApp call; busy, no answer or a refusal declines it.
 */
import { Inviter, SessionState, UserAgent } from 'sip.js';
import type { Logger } from '../util/log';
import { Call, type PhoneEnd } from './call';
import { reasonHeader } from './call-state';
import { WhatsAppLeg } from './whatsapp-leg';

export interface InboundContext {
  phone: PhoneEnd;
  sipLineId: string;
  log: Logger;
  ua: UserAgent;
  /** The PBX host (and port) extensions live on. */
  pbxHost: string;
  extension: string;
  /** No RTP from the PBX for this long ends the connected call (media.rtpTimeoutS); 0 or absent = off. */
  rtpTimeoutS?: number;
}

export function handleWhatsAppToSip(ctx: InboundContext, incoming: { callId: number; number: string; name: string }): Call {
  const target = UserAgent.makeURI(`sip:${ctx.extension}@${ctx.pbxHost}`);
  const from = UserAgent.makeURI(`sip:${incoming.number}@${ctx.pbxHost}`);
  const inviter =
    target && from ? new Inviter(ctx.ua, target, { params: { fromDisplayName: incoming.name || incoming.number, fromUri: from } }) : null;
  const call = new Call('whatsapp-to-sip', incoming.number, ctx.log, {
    sipLineId: ctx.sipLineId,
    callerId: incoming.number,
    sipCallId: inviter?.request.callId,
    name: incoming.name,
  });
  call.setDestination(incoming.number, 'inbound');
  call.watchMedia({ rtpTimeoutS: ctx.rtpTimeoutS ?? 0 });
  const failed = (what: string) => (err: Error) => ctx.log.debug(`${what} for call ${call.id} failed: ${err.message}`);
  const leg = new WhatsAppLeg(
    call,
    ctx.phone,
    {
      ended: (outcome, side) => {
        if (!inviter) return;
        // The WhatsApp caller hung up (or the operator did): cancel the ringing extension or end the call.
        if (inviter.state === SessionState.Established) call.sendBye(inviter);
        else if (inviter.state === SessionState.Establishing) void inviter.cancel().catch(failed('CANCEL'));
        call.finish(call.answeredAt ? 'answered' : outcome, call.answeredAt ? 200 : null, side);
      },
    },
    incoming.callId,
  );
  if (!inviter) {
    leg.decline();
    call.finish('error', null, 'station');
    return call;
  }

  // The phone is gone with the WhatsApp caller: the extension stops ringing (CANCEL) or is hung up (BYE),
  // with a Reason naming the phone (RFC 3326).
  call.on('lost', (why) => {
    const extraHeaders = [reasonHeader(503, `phone lost: ${why}`)];
    const answered = inviter.state === SessionState.Established;
    // A cancelled INVITE is answered 487 (RFC 3261 9.2): the code the record keeps.
    call.finish('error', answered ? 200 : 487, 'station');
    if (answered) void inviter.bye({ requestOptions: { extraHeaders } }).catch(failed('BYE'));
    else if (inviter.state === SessionState.Establishing) void inviter.cancel({ extraHeaders }).catch(failed('CANCEL'));
  });

  // No RTP from the extension for media.rtpTimeoutS: it is gone; the WhatsApp caller is hung up too.
  call.on('alarm', (alarm, text) => {
    if (alarm.kind !== 'rtp-timeout' || call.ended) return;
    leg.drop();
    call.endAbnormally('rtp-timeout', text, new Date(alarm.lastRtpAt));
    call.finish('answered', 200, 'station');
    call.sendBye(inviter, [reasonHeader(200, `RTP timeout: ${text}`)]);
  });

  inviter.stateChange.addListener((state) => {
    if (state !== SessionState.Terminated || call.ended) return;
    if (call.talking) leg.drop();
    else leg.decline();
    call.finish(call.talking ? 'answered' : 'rejected', call.sipCode, 'sip');
  });

  call.set('dialing');
  inviter
    .invite({
      requestDelegate: {
        onProgress: (response) => {
          // Only a call still waiting for the extension rings (not one the operator is hanging up).
          if (call.state !== 'dialing') return;
          if (response.message.statusCode === 180 || response.message.statusCode === 183) call.set('ringing');
        },
        onAccept: () => {
          // Answered as the call ended, or while its hang-up waits for the phone: the leg's end hangs up the PBX.
          if (call.ended || call.state === 'ending') return;
          call.setSipCode(200);
          leg.answer();
          call.set('connected');
          void call.bridgeMedia(inviter);
        },
        onReject: (response) => {
          call.setSipCode(response.message.statusCode ?? null);
          ctx.log.info(`extension ${ctx.extension} refused the WhatsApp call from ${incoming.number}: ${response.message.statusCode}`);
        },
      },
    })
    .catch((err: Error) => {
      ctx.log.warn(`cannot ring extension ${ctx.extension}: ${err.message}`);
      leg.decline();
      call.finish('error', null, 'station');
    });
  return call;
}
