/**
 * A call guards its own states: every transition of the table in call-state.ts works, the others throw
 * naming both states, and what the flows learn (destination, rule, direction, outcome) is set through
 * the call's methods and shows in the view the console gets.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger, setLogLevel } from '../util/log';
import { Call } from './call';
import { CALL_STATES, type CallState } from '../values';
import { CALL_TRANSITIONS } from './call-state';

beforeAll(() => setLogLevel('silent'));

function newCall(): Call {
  return new Call('sip-to-whatsapp', '', createLogger('test'), { sipLineId: 'wa1', callerId: '1001', sipCallId: 'abc@pbx', name: 'Desk 1001' });
}

/** A call walked into `state` along allowed transitions. */
function callIn(state: CallState): Call {
  const call = newCall();
  const path: Record<CallState, CallState[]> = {
    routing: [],
    dialing: ['dialing'],
    ringing: ['dialing', 'ringing'],
    connected: ['connected'],
    ending: ['dialing', 'ending'],
    ended: [],
  };
  for (const s of path[state]) call.set(s);
  if (state === 'ended') call.finish('rejected', 486, 'whatsapp');
  expect(call.state).toBe(state);
  return call;
}

describe('the transition table', () => {
  const allowed = CALL_STATES.flatMap((from) => CALL_TRANSITIONS[from].map((to) => [from, to] as const));

  it.each(allowed)('lets a call go from %s to %s', (from, to) => {
    const call = callIn(from);
    const seen: string[] = [];
    call.on('change', (v) => seen.push(v.state));
    call.set(to);
    expect(call.state).toBe(to);
    expect(seen).toEqual([to]);
  });

  it.each([
    ['ringing', 'dialing'],
    ['routing', 'ringing'],
    ['ending', 'connected'],
    ['ended', 'connected'],
    ['ended', 'routing'],
  ] as const)('refuses %s -> %s, naming both states', (from, to) => {
    const call = callIn(from);
    expect(() => call.set(to)).toThrow(`Invalid call state transition from ${from} to ${to}`);
    expect(call.state).toBe(from);
  });

  it('ends every call that has not ended, and only once', () => {
    for (const from of CALL_STATES.filter((s) => s !== 'ended')) expect(CALL_TRANSITIONS[from]).toContain('ended');
    expect(CALL_TRANSITIONS.ended).toEqual([]);
  });

  it('takes the state it is in again without a change', () => {
    const call = callIn('ringing');
    const seen: string[] = [];
    call.on('change', (v) => seen.push(v.state));
    call.set('ringing');
    expect(seen).toEqual([]);
  });
});

describe('what a call records', () => {
  it('stamps the ring and the answer when it enters those states', () => {
    const call = callIn('ringing');
    expect(call.view().ringingAt).not.toBeNull();
    expect(call.view().answeredAt).toBeNull();
    call.set('connected');
    expect(call.view().answeredAt).not.toBeNull();
  });

  it('is talking while the station hangs up a connected call, not one that only rang', () => {
    const connected = callIn('connected');
    connected.set('ending');
    expect(connected.talking).toBe(true);
    expect(callIn('ending').talking).toBe(false);
  });

  it('shows its destination, direction and refusing rule in its view', () => {
    const call = newCall();
    call.setDestination('15550109001', 'prefix');
    call.setRule('night hours');
    expect(call.view()).toMatchObject({ number: '15550109001', destinationSource: 'prefix', rule: 'night hours', name: 'Desk 1001', callerId: '1001' });
    call.setDirection('echo-test');
    expect(call.view().direction).toBe('echo-test');
  });

  it('keeps the first outcome, code and side it was finished with', () => {
    const call = callIn('ringing');
    call.finish('rejected', 486, 'whatsapp');
    call.finish('answered', 200, 'sip');
    expect(call.view()).toMatchObject({ state: 'ended', outcome: 'rejected', sipCode: 486, hangupSide: 'whatsapp' });
    expect(call.view().endedAt).not.toBeNull();
  });

  it('keeps the SIP code the PBX answered with when it is finished without one', () => {
    const call = callIn('dialing');
    call.setSipCode(486);
    call.finish('rejected', null, 'sip');
    expect(call.view()).toMatchObject({ outcome: 'rejected', sipCode: 486 });
  });

  it('is ended on the SIP side by the operator when no phone carries it yet', () => {
    const call = callIn('connected');
    expect(call.hangUp()).toBe(true);
    expect(call.view()).toMatchObject({ state: 'ended', outcome: 'answered', sipCode: 200, hangupSide: 'station' });
    expect(call.hangUp()).toBe(false);
  });

  it('keeps the reason its phone was lost and tells its flow', () => {
    const call = callIn('ringing');
    const lost: string[] = [];
    call.on('lost', (why) => lost.push(why));
    call.phoneLost('phone R58M0001 lost: unplugged');
    expect(lost).toEqual(['phone R58M0001 lost: unplugged']);
    expect(call.view().endReason).toBe('phone R58M0001 lost: unplugged');
  });
});
