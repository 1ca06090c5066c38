/**
 * The WhatsApp leg driven by a fake agent port whose messages the test sends, with time driven by a
 * fake clock: the agent's events walk the call's states, a number that does not ring is hung up as
 * offline, and a hang-up the phone never confirms still ends the call.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentMessage } from '../../../phone-agent/protocol';
import type { AgentPortEvents } from '../devices/agent-port';
import { Emitter } from '../util/emitter';
import { createLogger, setLogLevel } from '../util/log';
import { Call, type PhoneEnd, type PhonePort } from './call';
import { HANG_UP_CONFIRM_MS, WhatsAppLeg } from './whatsapp-leg';

const NUMBER = '15550109001';
const OFFLINE_S = 20;

/** The phone's agent port: what the station sends is kept, what the agent says is raised by the test. */
class FakePort extends Emitter<AgentPortEvents> implements PhonePort {
  readonly sent: AgentMessage[] = [];
  readonly forward = null;
  send(message: AgentMessage): boolean {
    this.sent.push(message);
    return true;
  }
  says(message: AgentMessage): void {
    this.emit('message', message);
  }
}

let port: FakePort;
let phone: PhoneEnd;
let call: Call;
let ended: Array<[string, string]>;
let answered: number;

function placedLeg(): WhatsAppLeg {
  const leg = new WhatsAppLeg(call, phone, {
    answered: () => {
      answered++;
      call.set('connected');
    },
    ended: (outcome, side) => {
      ended.push([outcome, side]);
      call.finish(outcome, null, side);
    },
  });
  leg.dial(NUMBER, OFFLINE_S);
  return leg;
}

beforeEach(() => {
  vi.useFakeTimers();
  setLogLevel('silent');
  port = new FakePort();
  phone = { lineId: 'wa1', serial: 'R58M0001', account: '15550100001', port, nextPhoneCallId: () => 7 };
  call = new Call('test-dial', NUMBER, createLogger('test'), { sipLineId: 'wa1', callerId: 'operator' });
  ended = [];
  answered = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a call the phone places', () => {
  it('dials the number and follows the agent through dialing and ringing to the answer', () => {
    placedLeg();
    expect(port.sent).toEqual([{ type: 'dial', callId: 7, number: NUMBER }]);
    expect(call.view().phoneLineId).toBe('wa1');
    port.says({ type: 'call-dialing', callId: 7, number: NUMBER });
    expect(call.state).toBe('dialing');
    port.says({ type: 'call-ringing', callId: 7 });
    expect(call.state).toBe('ringing');
    port.says({ type: 'call-connected', callId: 7 });
    expect(answered).toBe(1);
    expect(call.state).toBe('connected');
  });

  it("ignores the agent's messages about its other calls", () => {
    placedLeg();
    port.says({ type: 'call-ringing', callId: 8 });
    port.says({ type: 'call-ended', callId: 8, outcome: 'rejected' });
    expect(call.state).toBe('routing');
    expect(ended).toEqual([]);
  });

  it("ends with the phone's outcome when the WhatsApp side ends the call", () => {
    placedLeg();
    port.says({ type: 'call-ringing', callId: 7 });
    port.says({ type: 'call-ended', callId: 7, outcome: 'rejected' });
    expect(ended).toEqual([['rejected', 'whatsapp']]);
    expect(call.view()).toMatchObject({ state: 'ended', outcome: 'rejected', hangupSide: 'whatsapp' });
  });
});

describe('the offline timer', () => {
  it('hangs up a number that has not rung in time, and the call ends offline once the phone confirms', () => {
    placedLeg();
    port.says({ type: 'call-dialing', callId: 7, number: NUMBER });
    vi.advanceTimersByTime(OFFLINE_S * 1000 - 1);
    expect(port.sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(port.sent.at(-1)).toEqual({ type: 'hang-up', callId: 7 });
    expect(call.state).toBe('ending');
    // The agent reports its own outcome for the hang-up; the station's reason stands.
    port.says({ type: 'call-ended', callId: 7, outcome: 'local-hangup' });
    expect(call.view()).toMatchObject({ state: 'ended', outcome: 'offline', hangupSide: 'station' });
  });

  it('leaves a number that rang in time alone', () => {
    placedLeg();
    vi.advanceTimersByTime(OFFLINE_S * 1000 - 1);
    port.says({ type: 'call-ringing', callId: 7 });
    vi.advanceTimersByTime(OFFLINE_S * 1000);
    expect(port.sent).toHaveLength(1);
    expect(call.state).toBe('ringing');
  });

  it('ends the call offline when the phone does not confirm the hang-up either', () => {
    placedLeg();
    vi.advanceTimersByTime(OFFLINE_S * 1000 + HANG_UP_CONFIRM_MS);
    expect(ended).toEqual([['offline', 'station']]);
  });
});

describe("the station's hang-up", () => {
  it('waits in ending for the phone to confirm, ignoring a late answer', () => {
    placedLeg();
    port.says({ type: 'call-ringing', callId: 7 });
    expect(call.hangUp()).toBe(true);
    expect(port.sent.at(-1)).toEqual({ type: 'hang-up', callId: 7 });
    expect(call.state).toBe('ending');
    port.says({ type: 'call-connected', callId: 7 });
    expect(answered).toBe(0);
    port.says({ type: 'call-ended', callId: 7, outcome: 'local-hangup' });
    expect(ended).toEqual([['local-hangup', 'station']]);
    expect(call.endReason).toBeNull();
  });

  it('ends the call without the confirmation once HANG_UP_CONFIRM_MS has passed', () => {
    placedLeg();
    port.says({ type: 'call-connected', callId: 7 });
    call.hangUp();
    vi.advanceTimersByTime(HANG_UP_CONFIRM_MS - 1);
    expect(call.state).toBe('ending');
    vi.advanceTimersByTime(1);
    expect(ended).toEqual([['local-hangup', 'station']]);
    expect(call.ended).toBe(true);
    // The record says so: the phone may still hold the WhatsApp call.
    expect(call.endReason).toBe(`the phone did not confirm the hang-up within ${HANG_UP_CONFIRM_MS / 1000} s`);
  });

  it('sends one hang-up however often the operator presses it', () => {
    placedLeg();
    call.hangUp();
    call.hangUp();
    expect(port.sent.filter((m) => m.type === 'hang-up')).toHaveLength(1);
  });
});

describe('a leg whose call has ended', () => {
  it('lets go of the phone: no timer fires and no message counts any more', () => {
    placedLeg();
    call.finish('error', null, 'station');
    vi.advanceTimersByTime((OFFLINE_S + 60) * 1000);
    port.says({ type: 'call-ended', callId: 7, outcome: 'rejected' });
    expect(port.sent).toHaveLength(1);
    expect(ended).toEqual([]);
    expect(call.hangUp()).toBe(false);
  });
});

describe('an incoming WhatsApp call', () => {
  it("answers and declines it under the agent's call id", () => {
    const leg = new WhatsAppLeg(call, phone, { ended: () => undefined }, 0x8000_0003);
    leg.answer();
    leg.decline();
    expect(port.sent).toEqual([
      { type: 'answer', callId: 0x8000_0003 },
      { type: 'decline', callId: 0x8000_0003 },
    ]);
    expect(call.phoneCallId).toBe(0x8000_0003);
  });
});
