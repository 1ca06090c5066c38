/**
 * A phone's own WhatsApp number: an agent without root cannot read it, so a line may name it in its
 * configuration. The grid shows it and the call records carry it when the agent reports none; a number
 * the agent does report wins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialOutcome } from '../support/baresip';
import { CallRig, ECHO } from '../support/call-rig';
import { waitFor } from '../support/wait';

const CONFIGURED = '15550108888';
const rig = new CallRig({ phones: 1, line: { whatsappNumber: CONFIGURED } });

beforeAll(async () => {
  await rig.start();
}, 60_000);
afterAll(async () => {
  await rig.stop();
});

describe("a line's WhatsApp number", () => {
  it('is the one the agent reports, else the configured one, on the grid and in the call record', { timeout: 60_000 }, async () => {
    const phone = rig.farm.phones[0]!;
    const line = rig.station.line('wa1')!;
    expect(line.view().agent?.account).toBe(phone.device.account);

    // The agent now reports no account (as on a phone without root); its next link says so.
    phone.device.account = '';
    phone.garbleNextFrame('unknown-type');
    await waitFor('the configured number on the line', () => line.view().agent?.account === CONFIGURED, 15_000);
    await waitFor('line ready again', () => line.state === 'registered', 15_000);

    const desk = await rig.deskPhone('PCMU', 'manual', ECHO);
    try {
      expect((await dialOutcome(desk, rig.lineUri)).established).toBe(true);
      await waitFor('call connected', () => line.call?.state === 'connected');
      const callId = line.call!.id;
      desk.hangup();
      await waitFor('call ended', () => line.call?.state === 'ended');
      const record = rig.station.callLog!.query({ lineId: 'wa1' }).records.find((r) => r.callId === callId);
      expect(record).toMatchObject({ whatsappAccount: CONFIGURED, outcome: 'answered' });
    } finally {
      await desk.stop();
    }
  });
});
