/**
 * A line's phone unplugged during a call, as the interop tests check it with either agent: the desk
 * phone hears the end within a few seconds (well before its own RTP timeout of about 10 s), the
 * record says the station ended it because the phone was lost, and once the phone is back the WhatsApp
 * contact it still carried is hung up, so the next call can use the line.
 */
import { expect } from 'vitest';
import type { Call } from '../../electron/station/calls/call';
import { PHONE_LINK_GRACE_MS } from '../../electron/station/lines/phone-loss';
import { adb } from './adb';
import { dialOutcome, type Baresip, type BaresipEvent } from './baresip';
import { ECHO, TONE, type CallRig } from './call-rig';
import { waitFor } from './wait';

/** How long the desk phone may wait for the station's BYE, CANCEL or final response after the unplug. */
export const LOST_PHONE_DEADLINE_MS = 5_000;

/** Dials the echo contact through the rig's first line and waits until audio is bridged. */
export async function bridgedEchoCall(rig: CallRig, desk: Baresip): Promise<{ call: Call; from: number }> {
  const from = desk.events.length;
  desk.dial(rig.lineUri);
  await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000, from);
  await waitFor('call bridged', () => rig.station.line('wa1')!.call?.bridged === true, 10_000);
  return { call: rig.station.line('wa1')!.call!, from };
}

/** How long the first line's control link stays down while `fault` runs its course (ms). */
export async function linkDownFor(rig: CallRig, what: string, fault: () => Promise<unknown> | void): Promise<number> {
  const port = rig.station.line('wa1')!.port;
  const down = new Promise<number>((resolve) => port.once('down', () => resolve(performance.now())));
  await fault();
  const at = await down;
  await waitFor(`link back after ${what}`, () => port.isUp, 20_000);
  return performance.now() - at;
}

/** Unplugs the rig's first phone and returns the desk phone's CALL_CLOSED (events from `from` on). */
export async function unplugMidCall(rig: CallRig, desk: Baresip, from: number): Promise<BaresipEvent> {
  await rig.farm.phones[0]!.unplug();
  return desk.waitEvent((e) => e.type === 'CALL_CLOSED', LOST_PHONE_DEADLINE_MS, from);
}

/** The call, live and in the call log, reads as ended by the station for a lost phone; the line is free. */
export async function expectEndedForLostPhone(rig: CallRig, call: Call, sipCode: number | null): Promise<void> {
  const serial = rig.farm.phones[0]!.serial;
  await waitFor('call ended on the line', () => call.ended, 5_000);
  expect(call.view()).toMatchObject({ outcome: 'error', hangupSide: 'station', sipCode });
  const record = rig.station.callLog!.query().records.find((r) => r.callId === call.id);
  expect(record).toMatchObject({ outcome: 'error', hangupSide: 'station', sipCode });
  expect(record!.endedAt).not.toBeNull();
  expect(record!.endReason).toContain(`phone ${serial} lost`);
  expect(rig.station.line('wa1')!.busy).toBe(false);
}

/**
 * Plugs the phone back and waits for the station to hang up the WhatsApp call the phone still held
 * (the simulated network shows the contact in a call until then).
 */
export async function replugAndExpectWhatsAppFreed(rig: CallRig, contact: string): Promise<void> {
  expect(rig.farm.whatsapp.inCall(contact)).toBe(true);
  await rig.farm.phones[0]!.plug();
  await waitFor('phone ready again', () => rig.station.line('wa1')!.view().device?.state === 'ready', 20_000);
  await waitFor(`the WhatsApp call with ${contact} ended`, () => !rig.farm.whatsapp.inCall(contact), 10_000);
  await waitFor('line registered again', () => rig.station.line('wa1')!.state === 'registered', 20_000);
}

/** The phone plugged back and ready (after a test that failed half-way), so the next test has a line. */
export async function restorePhone(rig: CallRig): Promise<void> {
  const phone = rig.farm.phones[0]!;
  if (!phone.isPlugged) await phone.plug();
  await waitFor('phone ready', () => rig.station.line('wa1')!.view().device?.state === 'ready', 20_000);
}

/** Hangs up the desk phone's call and waits until both the desk phone and the line are done with it. */
async function hangUpDesk(rig: CallRig, desk: Baresip): Promise<void> {
  const from = desk.events.length;
  desk.hangup();
  await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, from);
  await waitFor('line idle', () => !rig.station.line('wa1')!.busy, 10_000);
}

/**
 * A connected call to WhatsApp whose phone is unplugged: BYE to the desk phone, the record, the
 * WhatsApp call hung up once the phone is back, and the next call through the line answered.
 */
export async function unplugDuringCallToWhatsApp(rig: CallRig): Promise<void> {
  const desk = await rig.deskPhone('PCMU', 'manual', ECHO);
  try {
    const { call, from } = await bridgedEchoCall(rig, desk);
    await unplugMidCall(rig, desk, from);
    await expectEndedForLostPhone(rig, call, 200);
    await replugAndExpectWhatsAppFreed(rig, ECHO);
    const next = await dialOutcome(desk, rig.lineUri);
    expect(next.established).toBe(true);
    const nextCall = rig.station.line('wa1')!.call!;
    expect(nextCall).not.toBe(call);
    await hangUpDesk(rig, desk);
    expect(nextCall.view()).toMatchObject({ outcome: 'answered', hangupSide: 'sip' });
  } finally {
    await desk.stop();
  }
}

/** A connected WhatsApp call to the extension whose phone is unplugged: BYE to the extension, and the rest as above. */
export async function unplugDuringCallFromWhatsApp(rig: CallRig): Promise<void> {
  const desk = await rig.deskPhone('PCMU', 'auto');
  try {
    const from = desk.events.length;
    rig.farm.whatsapp.callFromContact(TONE, rig.farm.phones[0]!.device.account);
    await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000, from);
    await waitFor('connected on the line', () => rig.station.line('wa1')!.call?.state === 'connected');
    const call = rig.station.line('wa1')!.call!;
    await unplugMidCall(rig, desk, from);
    await expectEndedForLostPhone(rig, call, 200);
    await replugAndExpectWhatsAppFreed(rig, TONE);
  } finally {
    await desk.stop();
  }
}

/**
 * A garbled frame and an `adb kill-server` in the middle of a call: the link drops and comes back
 * within the grace, and the call goes on to a normal hang-up. Prints how long the link was down.
 */
export async function linkFaultsKeepTheCall(rig: CallRig, label: string): Promise<void> {
  const desk = await rig.deskPhone('PCMU', 'manual', ECHO);
  try {
    const { call, from } = await bridgedEchoCall(rig, desk);
    const garbled = await linkDownFor(rig, 'a garbled frame', () => rig.farm.phones[0]!.garbleNextFrame('unknown-type'));
    const restarted = await linkDownFor(rig, 'adb kill-server', () => adb(rig.adbPort, 'kill-server'));
    console.log(`${label}: link down ${garbled.toFixed(0)} ms for a garbled frame, ${restarted.toFixed(0)} ms for adb kill-server (grace ${PHONE_LINK_GRACE_MS} ms)`);
    await waitFor('phone ready again', () => rig.station.line('wa1')!.view().device?.state === 'ready', 20_000);
    expect(rig.station.line('wa1')!.call).toBe(call);
    expect(call.state).toBe('connected');
    expect(rig.farm.whatsapp.inCall(ECHO)).toBe(true);
    expect(desk.events.slice(from).some((e) => e.type === 'CALL_CLOSED')).toBe(false);
    await hangUpDesk(rig, desk);
    expect(call.view()).toMatchObject({ outcome: 'answered', hangupSide: 'sip' });
  } finally {
    await desk.stop();
  }
}
