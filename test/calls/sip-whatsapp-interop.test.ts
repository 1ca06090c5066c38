/**
 * Calls through a line end to end, with real peers on loopback: kamailio as the PBX, baresip as a PBX
 * user's phone, the station core, and a virtual phone on the real adb server whose simulated WhatsApp
 * contacts echo or play a tone. The audio baresip hears is measured: frequency, level, correlation with
 * what it sent, and the 5 kHz content only G.722 can carry. A phone unplugged mid-call ends the call
 * on the SIP side at once and its WhatsApp call once it is back; a link that drops and returns within
 * the grace (garbled frame, adb kill-server) keeps it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CallRig, ECHO, SLOW, TONE, untilCarried } from '../support/call-rig';
import { expectEchoedTestSignal, expectToneHeard } from '../support/echo-check';
import {
  expectEndedForLostPhone,
  linkFaultsKeepTheCall,
  replugAndExpectWhatsAppFreed,
  restorePhone,
  unplugDuringCallFromWhatsApp,
  unplugDuringCallToWhatsApp,
  unplugMidCall,
} from '../support/phone-loss';
import { waitFor } from '../support/wait';

const rig = new CallRig();

beforeAll(() => rig.start(), 60_000);
afterAll(() => rig.stop());

describe('SIP -> WhatsApp through a line', () => {
  for (const codec of ['G722', 'PCMU', 'PCMA']) {
    it(`carries ${codec} audio both ways to an echoing WhatsApp contact`, { timeout: 60_000 }, async () => {
      const desk = await rig.deskPhone(codec, 'manual', ECHO);
      try {
        desk.dial(rig.lineUri);
        await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
        const line = rig.station.line('wa1')!;
        expect(line.call?.number).toBe(ECHO);
        expect(line.call?.codec).toBe(codec);
        expect(line.state).toBe('in-call');
        await untilCarried(line.call!, 3);
        // The call's live RTP stats, as GET /api/lines shows them: baresip's signal (about -11 dBFS) comes
        // in and its echo goes out, with no loss on loopback.
        const stats = line.call!.view().stats;
        expect(stats).not.toBeNull();
        expect(stats!.packetsReceived).toBeGreaterThan(50);
        expect(stats!.packetsSent).toBeGreaterThan(50);
        expect(stats!.lost).toBe(0);
        for (const level of [stats!.levelInDbfs, stats!.levelOutDbfs]) {
          expect(level).toBeGreaterThan(-20);
          expect(level).toBeLessThan(-5);
        }
        desk.hangup();
        await desk.waitEvent((e) => e.type === 'CALL_CLOSED');
        await waitFor('call ended on the line', () => line.call?.state === 'ended');
        expect(line.call!.view()).toMatchObject({ outcome: 'answered', sipCode: 200, hangupSide: 'sip' });

        const { freq, level, r, lagMs } = expectEchoedTestSignal(desk, codec);
        console.log(`${codec}: ${freq.toFixed(1)} Hz at ${level.toFixed(1)} dBFS; echo correlation ${r.toFixed(3)} at ${lagMs.toFixed(0)} ms`);
      } finally {
        await desk.stop();
      }
    });
  }
});

describe('WhatsApp -> SIP through a line', () => {
  for (const codec of ['G722', 'PCMU', 'PCMA']) {
  it(`rings the inbound extension with the caller as caller ID and carries the caller's voice in ${codec}`, { timeout: 60_000 }, async () => {
    const desk = await rig.deskPhone(codec, 'auto');
    try {
      rig.farm.whatsapp.callFromContact(TONE, rig.farm.phones[0]!.device.account);
      const incoming = await desk.waitEvent((e) => e.type === 'CALL_INCOMING' || e.type === 'CALL_ESTABLISHED', 15_000);
      expect(String(incoming.peeruri)).toContain(TONE);
      await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000);
      const line = rig.station.line('wa1')!;
      await waitFor('connected on the line', () => line.call?.state === 'connected' && line.call.codec === codec);
      expect(line.call!.view()).toMatchObject({ direction: 'whatsapp-to-sip', number: TONE, name: 'Tone Lady', codec });
      await untilCarried(line.call!, 2.5);
      desk.hangup();
      await waitFor('call ended on the line', () => line.call?.state === 'ended');
      expectToneHeard(desk, 700);
    } finally {
      await desk.stop();
    }
  });
  }
});

describe('a phone lost mid-call', () => {
  const line = () => rig.station.line('wa1')!;
  afterEach(() => restorePhone(rig), 30_000);

  it('ends a connected call with a BYE when the phone is unplugged, and hangs up its WhatsApp call once the phone is back', { timeout: 90_000 }, () =>
    unplugDuringCallToWhatsApp(rig));

  it('refuses a ringing call with 503 naming the lost phone', { timeout: 90_000 }, async () => {
    const desk = await rig.deskPhone('PCMU', 'manual', SLOW);
    try {
      const from = desk.events.length;
      desk.dial(rig.lineUri);
      await waitFor('the WhatsApp call ringing', () => line().call?.state === 'ringing', 15_000);
      const call = line().call!;
      const closed = await unplugMidCall(rig, desk, from);
      // kamailio, a proxy, passes the station's 503 on as 500 (RFC 3261 16.7); the call keeps the 503.
      expect(String(closed.param)).toMatch(/^50[03] Service Unavailable/);
      await expectEndedForLostPhone(rig, call, 503);
      await replugAndExpectWhatsAppFreed(rig, SLOW);
    } finally {
      await desk.stop();
    }
  });

  it('hangs up the extension of a WhatsApp call when the phone is unplugged', { timeout: 90_000 }, () => unplugDuringCallFromWhatsApp(rig));

  it('stops the extension ringing (CANCEL) when the phone is unplugged before it answers', { timeout: 90_000 }, async () => {
    const desk = await rig.deskPhone('PCMU', 'manual');
    try {
      const from = desk.events.length;
      rig.farm.whatsapp.callFromContact(TONE, rig.farm.phones[0]!.device.account);
      await desk.waitEvent((e) => e.type === 'CALL_INCOMING', 15_000, from);
      await waitFor('ringing on the line', () => line().call?.state === 'ringing');
      const call = line().call!;
      await unplugMidCall(rig, desk, from);
      expect(desk.events.slice(from).some((e) => e.type === 'CALL_ESTABLISHED')).toBe(false);
      await expectEndedForLostPhone(rig, call, 487);
      await replugAndExpectWhatsAppFreed(rig, TONE);
    } finally {
      await desk.stop();
    }
  });

  it('keeps the call through a garbled frame and an adb server restart (the link is back within the grace)', { timeout: 90_000 }, () =>
    linkFaultsKeepTheCall(rig, 'simulated agent'));
});
