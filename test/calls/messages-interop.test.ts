/**
 * WhatsApp messages and busy lines: a call to a line that is already in a call is declined with the
 * configured text reply, and messages received on a line are recorded and forwarded by a rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRig, ECHO, TONE } from '../support/call-rig';
import { waitFor } from '../support/wait';

const BUSY_TEXT = 'All our agents are busy; we will call you back.';
const CUSTOMER = '628979993336';
let rig: CallRig;

beforeAll(async () => {
  rig = new CallRig({ phones: 2, line: { busyReply: BUSY_TEXT } });
  // The forwarding target is the second line's WhatsApp account: the forwarded text must arrive there.
  await rig.start();
}, 60_000);
afterAll(() => rig.stop());

describe('busy lines and messages', () => {
  it('declines a WhatsApp call to a line in a call and replies with the busy text', { timeout: 60_000 }, async () => {
    const desk = await rig.deskPhone('PCMU', 'manual', ECHO);
    desk.dial(rig.lineUri);
    const line = rig.station.line('wa1')!;
    await waitFor('wa1 in a call', () => line.call?.state === 'connected', 15_000);
    const declined = new Promise<string>((resolve) => {
      const off = line.port.on('message', (m) => {
        if (m.type === 'message-sent') {
          off();
          resolve(m.ok ? 'sent' : m.error);
        }
      });
    });
    rig.farm.whatsapp.callFromContact(TONE, rig.farm.phones[0]!.device.account);
    expect(await declined).toBe('sent');
    const replies = rig.station.messages!.list({ lineId: 'wa1' }).filter((m) => m.direction === 'auto-reply');
    expect(replies).toEqual([expect.objectContaining({ peer: TONE, text: BUSY_TEXT })]);
    // The call in progress is untouched.
    expect(line.call?.number).toBe(ECHO);
    expect(line.call?.state).toBe('connected');
    desk.hangup();
    await waitFor('call ended', () => line.call?.state === 'ended');
  });

  it('records a received message and forwards it to the configured number', { timeout: 30_000 }, async () => {
    const second = rig.farm.phones[1]!.device.account;
    (rig.station.config.messages.forward as Array<{ line?: string; toNumber?: string }>).push({ line: 'wa1', toNumber: second });
    const result = rig.farm.whatsapp.sendMessage(CUSTOMER, rig.farm.phones[0]!.device.account, 'Do you deliver on Sundays?');
    expect(result.ok).toBe(true);
    await waitFor('forwarded copy received on wa2', () =>
      rig.station.messages!.list({ lineId: 'wa2' }).find((m) => m.direction === 'received' && m.text.includes('Do you deliver on Sundays?')),
    );
    const onFirst = rig.station.messages!.list({ lineId: 'wa1' });
    expect(onFirst.find((m) => m.direction === 'received')).toMatchObject({ peer: CUSTOMER, text: 'Do you deliver on Sundays?' });
    expect(onFirst.find((m) => m.direction === 'forwarded')).toMatchObject({ peer: second });
    const copy = rig.station.messages!.list({ lineId: 'wa2' })[0]!;
    expect(copy.peer).toBe(rig.farm.phones[0]!.device.account);
    expect(copy.text).toContain(`From +${CUSTOMER}`);
  });
});
