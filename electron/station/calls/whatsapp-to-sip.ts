/**
 * WhatsApp -> SIP: a WhatsApp call arriving on a line's phone rings a PBX extension through the line's
 * account, with the WhatsApp caller's number as caller ID and their name as display name. The PBX
 * answering answers the WhatsApp call; busy, no answer or a refusal declines it.
 */
import { Inviter, SessionState, UserAgent } from 'sip.js';
import type { Logger } from '../util/log';
import { Call, type PhoneEnd } from './call';
import { reasonHeader } from './call-state';

export interface InboundContext {
  phone: PhoneEnd;
  sipLineId: string;
  log: Logger;
  ua: UserAgent;
  /** The PBX host (and port) extensions live on. */
  pbxHost: string;
  extension: string;
}

export function handleWhatsAppToSip(ctx: InboundContext, incoming: { callId: number; number: string; name: string }): Call {
  const call = new Call('whatsapp-to-sip', incoming.number, ctx.log, { sipLineId: ctx.sipLineId, callerId: incoming.number });
  call.name = incoming.name;
  call.destinationSource = 'inbound';
  call.attachPhone(ctx.phone, incoming.callId);
  const port = ctx.phone.port;
  const target = UserAgent.makeURI(`sip:${ctx.extension}@${ctx.pbxHost}`);
  const from = UserAgent.makeURI(`sip:${incoming.number}@${ctx.pbxHost}`);
  if (!target || !from) {
    port.send({ type: 'decline', callId: incoming.callId });
    call.finish('error', null, 'station');
    return call;
  }
  const inviter = new Inviter(ctx.ua, target, {
    params: { fromDisplayName: incoming.name || incoming.number, fromUri: from },
  });
  call.sipCallId = inviter.request.callId;

  call.on('phone', (m) => {
    if (m.type !== 'call-ended') return;
    // The WhatsApp caller hung up: cancel the ringing extension or end the call.
    if (inviter.state === SessionState.Established) void inviter.bye().catch(() => undefined);
    else if (inviter.state === SessionState.Establishing) void inviter.cancel().catch(() => undefined);
    call.finish(call.state === 'connected' ? 'answered' : m.outcome, call.state === 'connected' ? 200 : null, 'whatsapp');
  });

  // The phone is gone with the WhatsApp caller: the extension stops ringing (CANCEL) or is hung up (BYE),
  // with a Reason naming the phone (RFC 3326).
  call.on('lost', (why) => {
    const extraHeaders = [reasonHeader(503, `phone lost: ${why}`)];
    const answered = inviter.state === SessionState.Established;
    // A cancelled INVITE is answered 487 (RFC 3261 9.2): the code the record keeps.
    call.finish('error', answered ? 200 : 487, 'station');
    if (answered) void inviter.bye({ requestOptions: { extraHeaders } }).catch(() => undefined);
    else if (inviter.state === SessionState.Establishing) void inviter.cancel({ extraHeaders }).catch(() => undefined);
  });

  inviter.stateChange.addListener((state) => {
    if (state !== SessionState.Terminated || call.ended) return;
    port.send({ type: call.state === 'connected' ? 'hang-up' : 'decline', callId: incoming.callId });
    call.finish(call.state === 'connected' ? 'answered' : 'rejected', call.sipCode, 'sip');
  });

  call.set('dialing');
  inviter
    .invite({
      requestDelegate: {
        onProgress: (response) => {
          if (response.message.statusCode === 180 || response.message.statusCode === 183) {
            call.ringingAt ??= new Date();
            call.set('ringing');
          }
        },
        onAccept: () => {
          call.sipCode = 200;
          port.send({ type: 'answer', callId: incoming.callId });
          call.set('connected');
          void call.bridgeMedia(inviter);
        },
        onReject: (response) => {
          call.sipCode = response.message.statusCode ?? null;
          ctx.log.info(`extension ${ctx.extension} refused the WhatsApp call from ${incoming.number}: ${response.message.statusCode}`);
        },
      },
    })
    .catch((err: Error) => {
      ctx.log.warn(`cannot ring extension ${ctx.extension}: ${err.message}`);
      port.send({ type: 'decline', callId: incoming.callId });
      call.finish('error', null, 'station');
    });
  return call;
}
