/**
 * Calls through a line end to end, with real peers on loopback: kamailio as the PBX, baresip as a PBX
 * user's phone, the station core, and a virtual phone on the real adb server whose simulated WhatsApp
 * contacts echo or play a tone. The audio baresip hears is measured: frequency, level, correlation with
 * what it sent, and the 5 kHz content only G.722 can carry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRig, ECHO, TONE } from '../support/call-rig';
import { expectEchoedTestSignal, expectToneHeard } from '../support/echo-check';
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
        await new Promise((r) => setTimeout(r, 3_000));
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
      await new Promise((r) => setTimeout(r, 2_500));
      desk.hangup();
      await waitFor('call ended on the line', () => line.call?.state === 'ended');
      expectToneHeard(desk, 700);
    } finally {
      await desk.stop();
    }
  });
  }
});
