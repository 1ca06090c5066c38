/**
 * DTMF both ways and hold/resume on a call through a line, against baresip on kamailio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRig, ECHO } from '../support/call-rig';
import { waitFor } from '../support/wait';

const rig = new CallRig();
beforeAll(() => rig.start(), 60_000);
afterAll(() => rig.stop());

async function connectedCall(codec: string) {
  const desk = await rig.deskPhone(codec, 'manual', ECHO);
  desk.dial(rig.lineUri);
  await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
  const line = rig.station.line('wa1')!;
  await waitFor('call connected on the line', () => line.call?.state === 'connected' && line.call.codec === codec);
  return { desk, call: line.call! };
}

describe('DTMF and hold through a line', () => {
  it('receives RFC 4733 DTMF from the PBX side and sends DTMF to it', { timeout: 60_000 }, async () => {
    const { desk, call } = await connectedCall('PCMU');
    await desk.sendDtmf('159#');
    await waitFor('digits on the call', () => call.dtmf === '159#', 5_000);
    expect(call.view().dtmf).toBe('159#');

    const before = desk.events.length;
    expect(call.sendDtmf('42')).toBe(true);
    const first = await desk.waitEvent((e) => e.type === 'CALL_DTMF_START', 5_000, before);
    expect(first.param).toBe('4');
    const second = await desk.waitEvent((e) => e.type === 'CALL_DTMF_START' && e.param === '2', 5_000, before);
    expect(second.param).toBe('2');
    desk.hangup();
    await waitFor('call ended', () => call.state === 'ended');
  });

  it('follows the PBX side putting the call on hold and resuming it', { timeout: 60_000 }, async () => {
    const { desk, call } = await connectedCall('G722');
    expect(call.mediaDirection).toBe('sendrecv');
    desk.command('hold');
    // baresip's hold is a re-INVITE with a=sendonly: we answer recvonly and stop sending.
    await waitFor('held', () => call.mediaDirection === 'recvonly', 10_000);
    expect(call.state).toBe('connected');
    desk.command('resume');
    await waitFor('resumed', () => call.mediaDirection === 'sendrecv', 10_000);
    expect(call.state).toBe('connected');
    desk.hangup();
    await waitFor('call ended', () => call.state === 'ended');
  });
});
