/**
 * The interop calls through the real Java agent core: the virtual phones run it in the farm's JVM
 * (`agent: 'java'`), so baresip -> kamailio -> station -> Java agent -> simulated WhatsApp carries the
 * call over the real adb forward, with the station unchanged. The audio baresip hears is measured
 * (frequency, level, correlation with what it sent); the outcomes, an unplug mid-call (the station
 * ends the call at once and hangs up the WhatsApp call when the phone is back), a killed agent and a
 * garbled frame are checked the way the simulated agent's tests check them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dialOutcome, type Baresip } from '../support/baresip';
import { CallRig, ECHO, NOT_ON_WHATSAPP, REJECTS, TONE } from '../support/call-rig';
import { expectEchoedTestSignal, expectToneHeard } from '../support/echo-check';
import { linkFaultsKeepTheCall, restorePhone, unplugDuringCallFromWhatsApp, unplugDuringCallToWhatsApp } from '../support/phone-loss';
import { waitFor } from '../support/wait';

const rig = new CallRig({ agent: 'java', config: { routing: { prefixes: [{ prefix: '00111' }] } } });
const line = () => rig.station.line('wa1')!;
const device = () => line().view().device;

beforeAll(() => rig.start(), 90_000);
afterAll(() => rig.stop());

/** Holds the call while baresip records it (the recording is what gets measured): until `seconds` of audio came from the phone. */
const hold = (seconds: number) =>
  waitFor(`${seconds} s of audio from the phone`, () => (line().call?.phoneAudioCounts?.fromPhone ?? 0) >= seconds * 50, seconds * 1000 + 20_000);

async function hangUp(desk: Baresip): Promise<void> {
  const from = desk.events.length;
  desk.hangup();
  await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, from);
  await waitFor('line idle', () => !line().busy, 10_000);
}

describe('SIP -> WhatsApp through the Java agent', () => {
  for (const codec of ['G722', 'PCMU']) {
    it(`carries ${codec} to the echo contact and back, the tone measured at the caller`, { timeout: 60_000 }, async () => {
      // The phone is ready (after the previous call on a loaded machine its link may still be coming back).
      await waitFor('phone ready', () => device()?.state === 'ready', 15_000);
      const desk = await rig.deskPhone(codec, 'manual', ECHO);
      try {
        desk.dial(rig.lineUri);
        await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
        expect(line().call?.codec).toBe(codec);
        await hold(3.2);
        await hangUp(desk);
        expect(line().call!.view()).toMatchObject({ outcome: 'answered', sipCode: 200, hangupSide: 'sip' });
        // The echo comes back whole (correlation); its delay through the JVM is measured by `npm run bench`.
        const { freq, level, r, lagMs } = expectEchoedTestSignal(desk, codec);
        console.log(`java agent ${codec}: ${freq.toFixed(1)} Hz at ${level.toFixed(1)} dBFS; echo r ${r.toFixed(3)} at ${lagMs.toFixed(0)} ms`);
      } finally {
        await desk.stop();
      }
    });
  }

  it('gives 486 when the WhatsApp user rejects and 488 for a number not on WhatsApp', { timeout: 40_000 }, async () => {
    const desk = await rig.deskPhone('PCMU', 'manual', 'Reception');
    try {
      const rejected = await dialOutcome(desk, rig.dialled(`00111${REJECTS}`));
      expect(rejected.reason).toMatch(/^486/);
      expect(rig.station.counters!.recent.at(-1)!.view()).toMatchObject({ outcome: 'rejected', sipCode: 486 });
      await waitFor('line idle', () => !line().busy, 10_000);
      const missing = await dialOutcome(desk, rig.dialled(`00111${NOT_ON_WHATSAPP}`));
      expect(missing.reason).toMatch(/^488/);
      expect(rig.station.counters!.recent.at(-1)!.view()).toMatchObject({ outcome: 'not-on-whatsapp', sipCode: 488 });
      await waitFor('line idle', () => !line().busy, 10_000);
    } finally {
      await desk.stop();
    }
  });
});

describe('WhatsApp -> SIP through the Java agent', () => {
  it('rings baresip with the caller and carries the caller\'s tone', { timeout: 60_000 }, async () => {
    const desk = await rig.deskPhone('G722', 'auto');
    try {
      rig.farm.whatsapp.callFromContact(TONE, rig.farm.phones[0]!.device.account);
      const incoming = await desk.waitEvent((e) => e.type === 'CALL_INCOMING' || e.type === 'CALL_ESTABLISHED', 15_000);
      expect(String(incoming.peeruri)).toContain(TONE);
      await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000);
      await waitFor('connected on the line', () => line().call?.state === 'connected');
      expect(line().call!.view()).toMatchObject({ direction: 'whatsapp-to-sip', number: TONE, name: 'Tone Lady' });
      await hold(2);
      await hangUp(desk);
      expectToneHeard(desk, 700);
    } finally {
      await desk.stop();
    }
  });
});

describe('failures with the Java agent', () => {
  afterEach(() => restorePhone(rig), 30_000);

  it('restarts a killed Java agent', { timeout: 40_000 }, async () => {
    const phone = rig.farm.phones[0]!;
    phone.crashAgent();
    expect(phone.agentRunning).toBe(false);
    await waitFor('agent restarted', () => phone.agentRunning, 15_000);
    await waitFor('ready again', () => device()?.state === 'ready', 15_000);
    expect(device()?.lastError?.message).toMatch(/closed|did not answer/);
  });

  it('reports a garbled frame from the Java agent, drops the link and reconnects', { timeout: 30_000 }, async () => {
    rig.farm.phones[0]!.garbleNextFrame('unknown-type');
    await waitFor('garbled frame reported', () => /garbled frame/.test(device()?.lastError?.message ?? ''), 10_000);
    expect(device()?.lastError?.message).toMatch(/unknown/);
    await waitFor('ready again', () => device()?.state === 'ready', 15_000);
  });

  it('ends the call with a BYE when the phone is unplugged mid-call, and hangs up its WhatsApp call once the phone is back', { timeout: 60_000 }, async () => {
    await unplugDuringCallToWhatsApp(rig);
    // The Java agent served the new connection.
    expect(line().view().agent?.audioRoute).toBe('simulated');
  });

  it('hangs up the extension of a WhatsApp call when the phone is unplugged, and the caller once it is back', { timeout: 60_000 }, () =>
    unplugDuringCallFromWhatsApp(rig));

  it('keeps a call through a garbled frame and an adb server restart', { timeout: 60_000 }, () => linkFaultsKeepTheCall(rig, 'java agent'));
});
