/**
 * SIP -> WhatsApp, the whole flow a PBX user's INVITE takes:
 *
 *   route (display name / caller ID / prefix / DTMF / echo test)
 *     -> policy (the origin's rules, per-line limits, hunting to an idle line of the group)
 *     -> the carrying phone dials on WhatsApp -> 180 when it rings -> 200 when answered
 *     -> media bridged until either side hangs up (or the maximum duration passes).
 *
 * Before the PBX call is answered every failure is a SIP final response (486, 488, 503 with a Warning
 * naming the rule). Once it is answered (DTMF collection, echo test) failures are spoken (a prompt) and
 * the call is ended with a BYE.
 */
import { SessionState, type Invitation } from 'sip.js';
import type { RoutingConfig } from '../config/schema';
import type { MediaSessionHandle } from '../media/media-engine';
import { offerRejection, type RtpSessionDescriptionHandler } from '../media/session-description-handler';
import type { CodecName } from '../config/schema';
import { ackTimedOut } from '../sip/sip-safety';
import { sipTimers } from '../sip/sip-timers';
import type { Logger } from '../util/log';
import { Call, seconds, type PhoneEnd } from './call';
import { WhatsAppLeg } from './whatsapp-leg';
import { quotable, reasonHeader, sipCodeFor } from './call-state';
import { routeCall, type DestinationSource, type Route } from './destination';
import { collectDigits } from './dtmf-collector';
import type { PromptLibrary, PromptName } from '../media/prompt-player';

/** A refusal by the policy, or all lines busy: the SIP code and the rule to name. */
export interface Refusal {
  code: number;
  rule: string;
  /** The response's reason phrase, and the Warning's text unless `detail` gives another. */
  reason: string;
  /** The Warning's text when the phrase is a standard one ("Service Unavailable"). */
  detail?: string;
}

export interface OutboundDeps {
  rules: RoutingConfig;
  prompts: PromptLibrary;
  log: Logger;
  /** Which phone carries the WhatsApp call: this line's when it may, else one of its group; or why none. */
  pickPhone(call: Call, a: { callerId: string; number: string; group?: string }): { phone: PhoneEnd; maxDurationS: number | null } | { refused: Refusal };
  /** The call exists (write its record). */
  started(call: Call): void;
  /** No RTP from the PBX for this long ends a connected call (media.rtpTimeoutS); 0 or absent = off. */
  rtpTimeoutS?: number;
}

const ECHO_TEST_MAX_MS = 120_000;

/** How a call whose phone is gone is refused before its answer (RFC 3261 21.5.4: the service is down). */
const PHONE_LOST = { code: 503, reason: 'Service Unavailable (phone lost)', rule: 'phone lost' } as const;

export function handleOutbound(deps: OutboundDeps, sipLine: { id: string; user: string; codecs: readonly CodecName[] }, invitation: Invitation): Call {
  const callerId = invitation.remoteIdentity.uri.user ?? '';
  const call = new Call('sip-to-whatsapp', '', deps.log, {
    sipLineId: sipLine.id,
    callerId,
    sipCallId: invitation.request.callId,
    name: invitation.remoteIdentity.displayName ?? '',
  });
  deps.started(call);
  call.watchMedia({ rtpTimeoutS: deps.rtpTimeoutS ?? 0 });
  // A codec mismatch is a 488 before anything else happens (sip.js would turn it into a 480 at answer).
  const mismatch = offerRejection(invitation.body, sipLine.codecs);
  if (mismatch) {
    deps.log.info(`call ${call.id}: no common codec with the PBX offer (line allows ${sipLine.codecs.join(', ')})`);
    call.finish('error', mismatch.statusCode, 'station');
    void invitation.reject(mismatch).catch((err: Error) => deps.log.debug(`${mismatch.statusCode} for call ${call.id} failed: ${err.message}`));
    return call;
  }
  invitation.stateChange.addListener((state) => {
    if (state !== SessionState.Terminated || call.ended) return;
    call.leg?.drop();
    if (ackTimedOut(invitation)) {
      // sip.js gave up resending our 200 and sent a BYE: the PBX never confirmed the answer, so the
      // caller is known to be there only as long as their RTP came.
      const reason = `no ACK from the PBX for ${seconds(sipTimers.TIMER_L)} s: check Record-Route / NAT on the PBX`;
      call.endAbnormally('no-ack', reason, call.lastRtpAt ?? call.answeredAt);
      call.finish(call.talking ? 'answered' : 'error', 200, 'station');
      return;
    }
    // CANCEL before the answer, or BYE after it: the PBX side hung up first.
    call.finish(call.talking ? 'answered' : 'local-hangup', call.talking ? 200 : 487, 'sip');
  });
  // No RTP from the caller for media.rtpTimeoutS: they are gone (or the media path broke).
  call.on('alarm', (alarm, text) => {
    if (alarm.kind !== 'rtp-timeout' || call.ended) return;
    call.leg?.drop();
    call.endAbnormally('rtp-timeout', text, new Date(alarm.lastRtpAt));
    call.finish('answered', 200, 'station');
    endSip(call, invitation, 200, 'RTP timeout', 'RTP timeout', text);
  });
  const route = routeCall(
    {
      displayName: invitation.remoteIdentity.displayName,
      fromUser: callerId,
      requestUser: invitation.request.ruri?.user,
      toUser: invitation.request.to.uri.user,
      lineUser: sipLine.user,
    },
    { order: deps.rules.destinationOrder, prefixes: deps.rules.prefixes, testPrefix: deps.rules.testPrefix || undefined },
  );
  void run(deps, call, invitation, route).catch((err: Error) => {
    deps.log.error(`call ${call.id}: ${err.stack ?? err.message}`);
    call.leg?.drop();
    call.finish('error', 500, 'station');
    endSip(call, invitation, 500, 'Server Internal Error');
  });
  return call;
}

async function run(deps: OutboundDeps, call: Call, invitation: Invitation, route: Route): Promise<void> {
  switch (route.kind) {
    case 'invalid':
      call.finish('error', 484, 'station');
      return endSip(call, invitation, 484, `Address Incomplete (${route.reason})`);
    case 'echo-test':
      return echoTest(deps, call, invitation);
    case 'collect-dtmf': {
      const media = await answer(call, invitation);
      if (!media) return;
      const number = await askForNumber(deps, call, invitation, media);
      if (number) await placeWhatsAppCall(deps, call, invitation, number, 'dtmf', undefined, media);
      return;
    }
    case 'number':
      return placeWhatsAppCall(deps, call, invitation, route.number, route.from, route.group, null);
  }
}

/** Answers the PBX call (200 with our SDP) and returns its media session, or null when it went away. */
async function answer(call: Call, invitation: Invitation): Promise<MediaSessionHandle | null> {
  await invitation.accept();
  if (call.ended) return null;
  call.set('connected');
  const sdh = invitation.sessionDescriptionHandler as RtpSessionDescriptionHandler;
  const media = await sdh.media();
  call.useSipSession(invitation);
  return media;
}

async function say(deps: OutboundDeps, media: MediaSessionHandle, name: PromptName, signal?: AbortSignal): Promise<void> {
  // Paced in the session's media worker, so a busy control thread cannot stretch the prompt.
  await media.play(deps.prompts.get(name), signal);
}

/** The origin's rule b: after the intro the caller types the number and presses #. */
async function askForNumber(deps: OutboundDeps, call: Call, invitation: Invitation, media: MediaSessionHandle): Promise<string | null> {
  const { dtmf } = deps.rules;
  for (let attempt = 0; attempt < dtmf.attempts && !call.ended; attempt++) {
    // Keys typed during the prompts are kept, and the first one cuts the prompts short.
    const typed: string[] = [];
    const ctl = new AbortController();
    const offEarly = media.on('dtmf', (d) => {
      typed.push(d.digit);
      ctl.abort();
    });
    if (attempt === 0) await say(deps, media, 'intro', ctl.signal);
    if (!ctl.signal.aborted) await say(deps, media, attempt === 0 ? 'enter-number' : 'invalid-number', ctl.signal);
    offEarly();
    if (call.ended) return null;
    const result = await collectDigits(
      (listener) => {
        for (const d of typed) queueMicrotask(() => listener(d));
        return media.on('dtmf', (d) => listener(d.digit));
      },
      { firstDigitTimeoutMs: dtmf.firstDigitTimeoutS * 1000, interDigitTimeoutMs: dtmf.interDigitTimeoutS * 1000 },
    );
    if (result.kind === 'digits' && /^[1-9]\d{6,14}$/.test(result.digits)) return result.digits;
    deps.log.info(`call ${call.id}: no valid number typed (${result.kind}${'digits' in result ? ` "${result.digits}"` : ''})`);
  }
  if (!call.ended) {
    await say(deps, media, 'goodbye');
    call.finish('error', 484, 'station');
    endSip(call, invitation, 484, 'no number entered');
  }
  return null;
}

async function echoTest(deps: OutboundDeps, call: Call, invitation: Invitation): Promise<void> {
  call.setDirection('echo-test');
  const media = await answer(call, invitation);
  if (!media) return;
  await say(deps, media, 'echo-test');
  // Station-local echo inside the media worker: what the caller sends comes straight back, which checks
  // SIP, RTP and the codec.
  await media.loopback(true);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ECHO_TEST_MAX_MS);
    const offChange = call.on('change', (v) => {
      if (v.state !== 'ended') return;
      offChange();
      clearTimeout(timer);
      resolve();
    });
  });
  await media.loopback(false).catch((err: Error) => deps.log.debug(`call ${call.id}: ending the echo test's loopback failed: ${err.message}`));
  if (!call.ended) {
    call.finish('answered', 200, 'station');
    endSip(call, invitation, 200, 'echo test over');
  }
}

/** Places the WhatsApp call; `media` is set when the PBX call was already answered (DTMF). */
async function placeWhatsAppCall(
  deps: OutboundDeps,
  call: Call,
  invitation: Invitation,
  number: string,
  source: DestinationSource,
  group: string | undefined,
  media: MediaSessionHandle | null,
): Promise<void> {
  call.setDestination(number, source);
  call.set('routing');
  const picked = deps.pickPhone(call, { callerId: call.callerId, number, group });
  if ('refused' in picked) {
    const { code, rule, reason, detail = reason } = picked.refused;
    call.setRule(rule);
    if (detail !== reason) call.setEndReason(detail);
    deps.log.info(`call ${call.id} to ${number} refused by ${rule}: ${detail}`);
    call.finish('filtered', code, 'station');
    if (media) await say(deps, media, code === 488 ? 'not-on-whatsapp' : 'busy');
    return endSip(call, invitation, code, reason, rule, detail);
  }
  const answeredEarly = media !== null;
  let maxTimer: NodeJS.Timeout | null = null;
  const leg = new WhatsAppLeg(call, picked.phone, {
    ringing: () => {
      if (!answeredEarly && invitation.state === SessionState.Initial) {
        void invitation.progress({ statusCode: 180 }).catch((err: Error) => deps.log.debug(`180 for call ${call.id} failed: ${err.message}`));
      }
    },
    answered: () => {
      if (picked.maxDurationS) {
        maxTimer = setTimeout(() => {
          if (call.ended) return;
          deps.log.info(`call ${call.id}: maximum duration of ${picked.maxDurationS} s reached`);
          leg.drop();
          call.finish('answered', 200, 'station');
          endSip(call, invitation, 200, 'maximum duration');
        }, picked.maxDurationS * 1000);
      }
      if (answeredEarly) {
        call.whatsappAnswered();
        call.set('connected');
        void call.bridgeMedia(invitation);
        return;
      }
      void invitation
        .accept()
        .then(() => {
          // The call ended, or the station is hanging it up, while the PBX was being answered.
          if (call.ended || call.state === 'ending') return;
          call.set('connected');
          return call.bridgeMedia(invitation);
        })
        .catch((err: Error) => {
          deps.log.warn(`call ${call.id}: answering the PBX failed: ${err.message}`);
          leg.drop();
          call.finish('error', 500, 'station');
        });
    },
    ended: (outcome, side) => {
      if (maxTimer) clearTimeout(maxTimer);
      if (call.bridged) {
        call.finish('answered', 200, side);
        return endSip(call, invitation, 200, 'WhatsApp side hung up');
      }
      const { code, reason } = sipCodeFor(outcome);
      call.finish(outcome, code, side);
      if (media) void say(deps, media, outcome === 'not-on-whatsapp' ? 'not-on-whatsapp' : 'busy').then(() => endSip(call, invitation, code, reason));
      else endSip(call, invitation, code, reason);
    },
  });

  // The phone is gone: nothing will come from it, so the PBX side is ended here, at once.
  call.on('lost', (why) => {
    if (maxTimer) clearTimeout(maxTimer);
    call.finish(leg.pendingOutcome ?? 'error', invitation.state === SessionState.Established ? 200 : PHONE_LOST.code, 'station');
    endSip(call, invitation, PHONE_LOST.code, PHONE_LOST.reason, PHONE_LOST.rule, why);
  });
  leg.dial(number, deps.rules.offlineTimeoutS);
}

/**
 * Ends the SIP side the way its state allows: a final response before the answer (with a Warning
 * naming the rule and `detail`, RFC 3261 section 20.43), a BYE after it (with a Reason naming the rule,
 * RFC 3326, as Warning belongs to responses only).
 */
function endSip(call: Call, invitation: Invitation, code: number, reason: string, rule?: string, detail = reason): void {
  if (invitation.state === SessionState.Initial || invitation.state === SessionState.Establishing) {
    const extraHeaders = rule ? [`Warning: 399 sip2wa "${rule}: ${quotable(detail)}"`, reasonHeader(code, rule)] : [];
    void invitation.reject({ statusCode: code, reasonPhrase: reason.slice(0, 100), extraHeaders }).catch((err: Error) => call.log.debug(`${code} for call ${call.id} failed: ${err.message}`));
  } else if (invitation.state === SessionState.Established) {
    call.sendBye(invitation, rule ? [reasonHeader(code, `${rule}: ${detail}`)] : []);
  }
}

