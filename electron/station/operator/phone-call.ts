/**
 * A WhatsApp call the station itself places through a line's phone, with no SIP leg: the operator's
 * test dial and the line echo test. It walks the call states of calls/call-state.ts:
 *
 *   routing --dial--> dialing --call-ringing--> ringing --call-connected--> connected
 *      \                 \                         \                           \
 *       +-----------------+--hang-up / offline timeout--> ending --call-ended-+--> ended
 *       +-----------------+--call-ended / phone gone--------------------------+--> ended
 *
 * The phone side is a WhatsApp leg like any call's (calls/whatsapp-leg.ts).
 *
 * The call is a Line's current call like a PBX call (the grid shows it, the line is busy for PBX and
 * WhatsApp calls meanwhile) and it is recorded in the call log from its start.
 */
import { ApiError } from '../api/contract';
import { Call } from '../calls/call';
import type { CallDirection } from '../calls/call-state';
import { WhatsAppLeg } from '../calls/whatsapp-leg';
import type { DeviceManager } from '../devices/device-manager';
import type { Line } from '../lines/line';
import { watchPhoneLoss } from '../lines/phone-loss';
import type { Logger } from '../util/log';

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
  const leg = new WhatsAppLeg(call, line.phoneEnd(), {
    answered: () => {
      call.set('connected');
      onConnected(call);
    },
    // A call that was answered ended normally whoever hung up; else the outcome says why.
    ended: (outcome, side) => call.finish(call.answeredAt ? 'answered' : outcome, null, side),
  });
  line.assignCall(call);
  deps.started(call, line);
  // Unplugged: at once; the control link down (a garbled frame, an adb kill-server): after a grace in
  // which the supervisor usually has it back, and the call with it.
  call.on('lost', (why) => {
    if (call.ended) return;
    deps.log.warn(`call ${call.id} on line ${line.config.id}: ${why}: the call is ended`);
    call.finish(leg.pendingOutcome ?? 'error', null, 'station');
    leg.hangUpWhenBack();
  });
  watchPhoneLoss({ devices: deps.devices, port: line.port, serial: line.config.serial }, call);
  leg.dial(number, deps.offlineTimeoutS);
  return call;
}
