/**
 * A WhatsApp call the station itself places through a line's phone, with no SIP leg: the operator's
 * test dial and the line echo test. It walks the call states of calls/call-state.ts:
 *
 *   routing --dial--> dialing --call-ringing--> ringing --call-connected--> connected
 *      \                 \                         \                           \
 *       +-----------------+--call-ended / offline timeout / phone gone---------+--> ended
 *
 * The call is a Line's current call like a PBX call (the grid shows it, the line is busy for PBX and
 * WhatsApp calls meanwhile) and it is recorded in the call log from its start.
 */
import { ApiError } from '../api/contract';
import { Call } from '../calls/call';
import type { CallDirection, WhatsAppOutcome } from '../calls/call-state';
import type { DeviceManager } from '../devices/device-manager';
import type { Line } from '../lines/line';
import { watchPhoneLoss } from '../lines/phone-loss';
import type { Logger } from '../util/log';

/** How long the phone has to confirm a hang-up before the call is ended without it. */
const HANG_UP_CONFIRM_MS = 3_000;

export interface PhoneCallDeps {
  devices: DeviceManager;
  log: Logger;
  /** No ring after this long: the number is offline (routing.offlineTimeoutS). */
  offlineTimeoutS: number;
  /** The call exists and is on the line: write its record. */
  started(call: Call, line: Line): void;
}

/** The operator's caller id in call records: the call came from the station's console, not a PBX user. */
export const OPERATOR_CALLER = 'operator';

/** "+1 555 010-9001" -> "15550109001"; throws naming the number when it is not an international one. */
export function normaliseNumber(raw: string): string {
  const digits = raw.trim().replace(/^\+/, '').replace(/[\s().-]/g, '');
  if (!/^[1-9]\d{6,14}$/.test(digits)) throw new ApiError(`"${raw}" is not an international number (7-15 digits, country code first)`);
  return digits;
}

/** Throws naming the line and why it cannot carry a station call now. */
export function checkLineFree(line: Line | undefined, lineId: string): Line {
  if (!line) throw new ApiError(`no line has the id "${lineId}"`);
  if (line.hasSip && line.state === 'disabled') throw new ApiError(`line ${lineId} is switched off`);
  if (line.busy) throw new ApiError(`line ${lineId} is in a call (${line.call!.direction} ${line.call!.number || ''}): hang it up first`.replace(' )', ')'));
  if (!line.port.isUp) throw new ApiError(`line ${lineId}: phone ${line.config.serial} is not ready (${line.view().device?.state ?? 'not connected'})`);
  return line;
}

/**
 * Places the call and follows it to its end. `onConnected` runs once WhatsApp answers (start the audio
 * there); the returned call's 'change' events say the rest.
 */
export function placePhoneCall(deps: PhoneCallDeps, line: Line, direction: CallDirection, number: string, onConnected: (call: Call) => void): Call {
  const call = new Call(direction, number, deps.log, { sipLineId: line.config.id, callerId: OPERATOR_CALLER });
  call.attachPhone(line.phoneEnd());
  line.assignCall(call);
  deps.started(call, line);
  const timers = new Set<NodeJS.Timeout>();
  const after = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const end = (outcome: WhatsAppOutcome, side: 'whatsapp' | 'station') => call.finish(outcome, null, side);
  let rang = false;
  after(deps.offlineTimeoutS * 1000, () => {
    if (rang || call.ended) return;
    deps.log.info(`call ${call.id}: ${number} has not rung after ${deps.offlineTimeoutS} s: offline`);
    call.outcome = 'offline';
    call.hangupSide = 'station';
    call.hangUpPhone();
    after(HANG_UP_CONFIRM_MS, () => end('offline', 'station'));
  });
  const phoneGone = (why: string) => {
    if (call.ended) return;
    deps.log.warn(`call ${call.id} on line ${line.config.id}: ${why}: the call is ended`);
    call.outcome ??= 'error';
    end('error', 'station');
    // The agent may still hold the WhatsApp call: end it there as soon as the phone is back.
    const callId = call.phoneCallId;
    const offLink = line.port.once('link', () => line.port.send({ type: 'hang-up', callId }));
    setTimeout(offLink, 60_000).unref();
  };
  // Unplugged: at once; the control link down (a garbled frame, an adb kill-server): after a grace in
  // which the supervisor usually has it back, and the call with it.
  const offs = [call.on('lost', phoneGone)];
  watchPhoneLoss({ devices: deps.devices, port: line.port, serial: line.config.serial }, call);
  // However the call ends (here, the operator's hang-up, line.hangUp), its watchers go with it.
  const offEnded = call.on('change', (v) => {
    if (v.state !== 'ended') return;
    offEnded();
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const off of offs) off();
  });
  call.on('phone', (m) => {
    switch (m.type) {
      case 'call-dialing':
        return call.set('dialing');
      case 'call-ringing':
        rang = true;
        call.ringingAt ??= new Date();
        return call.set('ringing');
      case 'call-connected':
        rang = true;
        call.set('connected');
        return onConnected(call);
      case 'call-ended':
        // A call that was answered ended normally whoever hung up; else the phone's outcome says why.
        return end(call.answeredAt ? 'answered' : (call.outcome ?? m.outcome), call.hangupSide === 'station' ? 'station' : 'whatsapp');
    }
  });
  call.dial(number);
  return call;
}

/** Hangs up a station call: the phone ends it; if the phone does not confirm in time, it is ended anyway. */
export function hangUpPhoneCall(call: Call): boolean {
  if (call.ended) return false;
  call.hangUp();
  setTimeout(() => {
    if (!call.ended) call.finish(call.answeredAt ? 'answered' : 'local-hangup', null, 'station');
  }, HANG_UP_CONFIRM_MS).unref();
  return true;
}
