/**
 * Scripted remote contacts: the far end of a call that is not a virtual phone. A bot holds one leg of a
 * Call and drives it like a person would: lets it ring, answers or declines, plays audio, hangs up.
 */
import { PacingClock } from '../../../native-audio/pacing-clock';
import type { TimeSource } from '../../../native-audio/time-source';
import { AUDIO_FRAME_MS, AUDIO_FRAME_SAMPLES } from '../../protocol';
import type { Call, CallLeg, CallListener } from './call';
import { toneSource, wavSource, type FrameSource } from './media-sources';
import {
  DEFAULT_ANSWER_AFTER_MS,
  DEFAULT_REJECT_AFTER_MS,
  DEFAULT_TONE_HZ,
  type ContactBehaviour,
  type ScenarioContact,
} from './scenario';
import { TimerSet } from './timer-set';

/** A number as the simulated network resolved it: a contact, or an unknown number given a behaviour. */
export type ResolvedContact = Omit<ScenarioContact, 'behaviour'> & { behaviour: ContactBehaviour; name: string };

export interface NetworkTiming {
  /** From placing a call until the callee's phone rings (or the network says busy). */
  ringDelayMs: number;
  /** From placing a call until the network says the number is not on WhatsApp. */
  lookupDelayMs: number;
  /** A callee that never answers: the call ends 'no-answer' after this long ringing. */
  ringTimeoutMs: number;
  /** An offline callee: the call stays at dialing and ends 'offline' after this long. */
  offlineTimeoutMs: number;
}

/** Plays the contact's audio into its leg once connected; returns the listener parts that do it. */
function mediaFor(leg: CallLeg, contact: ResolvedContact, timers: TimerSet, time: TimeSource): Pick<CallListener, 'connected' | 'audio'> & { stop(): void } {
  const hangUpLater = () => {
    if (contact.hangUpAfterMs !== undefined) timers.after(contact.hangUpAfterMs, () => leg.hangUp());
  };
  if (contact.behaviour === 'tone' || contact.behaviour === 'wav') {
    // Open the file when the call is placed, so a bad file fails the call instead of a timer callback.
    const source: FrameSource =
      contact.behaviour === 'wav' ? wavSource(contact.file ?? '') : toneSource(contact.frequencyHz ?? DEFAULT_TONE_HZ);
    let seq = 0;
    // A phone drops audio it could not send in time rather than bursting it: after a stall of more than
    // ten frames, skip to now.
    const clock = new PacingClock({ periodMs: AUDIO_FRAME_MS, maxCatchUp: 10, onStall: 'skip', time });
    const send = () => {
      leg.sendAudio({ seq, timestamp: (seq * AUDIO_FRAME_SAMPLES) >>> 0, pcm: source.next() });
      seq = (seq + 1) >>> 0;
    };
    let stopSending = () => undefined as void;
    const start = () => {
      if (!clock.running) stopSending = clock.add(send);
    };
    return { connected: () => (start(), hangUpLater()), stop: () => stopSending() };
  }
  // Echo (and the fallback for callers whose behaviour has no audio): return each frame at once, unchanged,
  // so the station can measure the round trip from the timestamp it wrote.
  return { connected: hangUpLater, audio: (frame) => leg.sendAudio(frame), stop: () => undefined };
}

/** The contact is being called: ring, then answer / decline / fail as its behaviour says. */
export function runCalleeBot(call: Call, contact: ResolvedContact, timing: NetworkTiming, time: TimeSource): void {
  const leg = call.callee;
  const timers = new TimerSet(time);
  call.onEnd(() => timers.clear());
  const failAfter = (ms: number, outcome: 'offline' | 'not-on-whatsapp' | 'busy') =>
    timers.after(ms, () => leg.endCall(outcome));

  switch (contact.behaviour) {
    case 'offline':
      leg.listen({ ended: () => undefined });
      return failAfter(timing.offlineTimeoutMs, 'offline');
    case 'not-on-whatsapp':
      leg.listen({ ended: () => undefined });
      return failAfter(timing.lookupDelayMs, 'not-on-whatsapp');
    case 'busy':
      leg.listen({ ended: () => undefined });
      return failAfter(timing.ringDelayMs, 'busy');
    case 'reject':
      leg.listen({ ended: () => undefined });
      timers.after(timing.ringDelayMs, () => {
        call.ring();
        timers.after(contact.rejectAfterMs ?? DEFAULT_REJECT_AFTER_MS, () => leg.decline());
      });
      return;
    case 'echo':
    case 'tone':
    case 'wav': {
      const media = mediaFor(leg, contact, timers, time);
      leg.listen({ ...media, ended: () => media.stop() });
      timers.after(timing.ringDelayMs, () => {
        call.ring();
        timers.after(contact.answerAfterMs ?? DEFAULT_ANSWER_AFTER_MS, () => leg.answer());
      });
      return;
    }
  }
}

/** The contact calls a virtual phone (a scripted call): wait to be answered, then play its audio. */
export function runCallerBot(call: Call, contact: ResolvedContact, time: TimeSource): void {
  const leg = call.caller;
  const timers = new TimerSet(time);
  call.onEnd(() => timers.clear());
  const media = mediaFor(leg, contact, timers, time);
  leg.listen({ ...media, ended: () => media.stop() });
}
