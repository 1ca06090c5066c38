/**
 * Test dial and the line echo test, end to end: a real PulseAudio daemon plays the operator's headset
 * (a tone into the microphone, the speaker recorded from its monitor), the station opens it through
 * naudiodon, and a virtual phone behind a private adb server places the WhatsApp calls. The commands
 * go through the station's command handler, as the console sends them.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandHandler, type CommandHandler } from '../../electron/station/server/command-handler';
import type { StationEvent } from '../../electron/station/api/contract';
import type { EchoTestResult, TestDialView } from '../../electron/station/api/types';
import { bestLag, dominantFrequency, toneDbfs } from '../../native-audio/pcm';
import { tone, whiteNoise } from '../../native-audio/tone';
import { adb } from '../support/adb';
import { CallRig, ECHO, REJECTS } from '../support/call-rig';
import { MIC_SINK, PulseAudio } from '../support/pulse';
import { waitFor } from '../support/wait';

const TONE_HZ = 1000;
const TONE_DBFS = -12;

describe('test dial from the PC headset and the line echo test', () => {
  let pulse: PulseAudio;
  let rig: CallRig;
  let handle: CommandHandler;
  const views: TestDialView[] = [];
  let stopMic: () => void = () => undefined;

  beforeAll(async () => {
    pulse = await PulseAudio.start();
    // Before the station first loads naudiodon: PortAudio finds the daemon through the pulse ALSA plugin.
    pulse.useInThisProcess();
    rig = new CallRig({ phones: 2, config: { routing: { echoContact: ECHO } } });
    await rig.start();
    handle = createCommandHandler(rig.station);
    rig.station.onEvent((e: StationEvent) => e.event === 'testDial' && e.data && views.push(e.data));
  }, 90_000);

  afterAll(async () => {
    stopMic();
    await rig?.stop();
    await pulse?.stop();
  });

  const latest = () => views[views.length - 1]!;

  it('lists the sound devices and says audio is available', async () => {
    const devices = (await handle('audio.devices', {})) as { name: string; inputs: number; outputs: number }[];
    expect(devices.map((d) => d.name)).toContain('default');
    expect(devices.some((d) => d.inputs > 0 && d.outputs > 0)).toBe(true);
    expect(rig.station.info().audio).toEqual({ available: true, reason: null });
  });

  it('carries the mic to the echo contact and its echo to the speaker, none of it through the control thread; mute silences it; hang-up ends the WhatsApp call and closes the devices', async () => {
    // Every audio frame the control thread could see: on the phone's control link, between it and the
    // media workers, between it and the headset worker.
    let audioOnControl = 0;
    const offAudio = rig.station.line('wa1')!.port.on('message', (m) => {
      if (m.type === 'audio') audioOnControl++;
    });
    const mediaCrossed = rig.station.media!.crossings;
    const headsetWorker = rig.station.testDial!.headset;
    const headsetCrossed = { ...headsetWorker.crossings };
    // The operator speaks: a steady 1 kHz tone into the headset microphone.
    stopMic = pulse.play(tone(TONE_HZ, TONE_DBFS, 16_000, 16_000 * 60)).stop;
    const started = (await handle('testDial.start', { lineId: 'wa1', number: `+${ECHO}` })) as TestDialView;
    expect(started).toMatchObject({ lineId: 'wa1', number: ECHO, muted: false, audioProblem: null });
    // A second test dial while one runs is refused, naming the one in progress.
    await expect(handle('testDial.start', { lineId: 'wa2', number: ECHO })).rejects.toThrow(`a test dial is already in progress (line wa1 to +${ECHO})`);
    await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
    // The grid shows it as the line's call.
    const line = rig.station.lines().find((l) => l.id === 'wa1')!;
    expect(line.registration.state).toBe('in-call');
    expect(line.call).toMatchObject({ direction: 'test-dial', number: ECHO, state: 'connected' });

    // Let the devices' start-up and the latency budget settle, then listen to the speaker.
    await new Promise((r) => setTimeout(r, 2000));
    const heard = await pulse.recordFor(1500);
    const f = dominantFrequency(heard, 16_000, 200, 4000);
    const level = toneDbfs(heard, TONE_HZ, 16_000);
    console.log(`speaker: ${f.toFixed(1)} Hz at ${level.toFixed(1)} dBFS; panel levels mic ${latest().levelMicDbfs} / speaker ${latest().levelSpeakerDbfs} dBFS`);
    expect(Math.abs(f - TONE_HZ) / TONE_HZ).toBeLessThan(0.01);
    expect(level).toBeGreaterThan(TONE_DBFS - 3);
    expect(level).toBeLessThan(TONE_DBFS + 3);
    // The panel's level meters show the tone both ways.
    await waitFor('levels pushed', () => (latest().levelMicDbfs ?? -120) > -16 && (latest().levelSpeakerDbfs ?? -120) > -16, 2000);
    // What was heard went mic -> headset worker -> phone -> headset worker -> speaker...
    const during = await headsetWorker.stats();
    expect(during.open).toBe(true);
    expect(during.phone!.counts.toPhone).toBeGreaterThan(100);
    expect(during.phone!.counts.fromPhone).toBeGreaterThan(100);
    expect(during.headset!.speaker).toBeGreaterThan(100);
    expect(pulse.streamsOf(process.pid)).toEqual({ playback: 1, capture: 1 });
    // ...and not a frame of it through the control thread, which never even loaded the sound library.
    expect(audioOnControl).toBe(0);
    expect(rig.station.media!.crossings).toEqual(mediaCrossed);
    expect(headsetWorker.crossings).toEqual(headsetCrossed);
    expect(Object.keys(createRequire(import.meta.url).cache).filter((m) => m.includes('naudiodon'))).toEqual([]);

    // Listen across the mute: the tone stops once what was on its way has played, and stays away.
    const across = pulse.record();
    await new Promise((r) => setTimeout(r, 300));
    const mutedAt = performance.now();
    expect(await handle('testDial.mute', { muted: true })).toMatchObject({ muted: true });
    await new Promise((r) => setTimeout(r, 2500));
    const afterMute = await across.stop();
    const window = 320;
    let lastTone = -1;
    for (let at = 0; at + window <= afterMute.length; at += window) {
      if (toneDbfs(afterMute.subarray(at, at + window), TONE_HZ, 16_000) > -50) lastTone = at + window;
    }
    // The recording started about 300 ms before the mute (parec's own start-up makes it a little less).
    const silentAfterMs = (lastTone / 16_000) * 1000 - 300;
    console.log(`muted: the tone stopped ${Math.round(silentAfterMs)} ms after muting (command took ${Math.round(performance.now() - mutedAt - 2500)} ms)`);
    expect(silentAfterMs).toBeLessThan(1000);
    expect(toneDbfs(afterMute.subarray(lastTone), TONE_HZ, 16_000)).toBeLessThan(-50);
    expect(afterMute.length - lastTone).toBeGreaterThan(16_000);
    await waitFor('mic level shows silence', () => (latest().levelMicDbfs ?? 0) < -60, 2000);

    stopMic();
    expect(farmInCall()).toBe(true);
    const t0 = performance.now();
    expect(await handle('testDial.hangUp', {})).toEqual({ hungUp: true });
    await waitFor('test dial ended', () => latest().state === 'ended', 5000);
    // Ended by the phone's confirmation, not by the station's fallback after 3 s.
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(farmInCall()).toBe(false);
    expect(latest()).toMatchObject({ state: 'ended', outcome: 'answered', levelMicDbfs: null });
    // Nothing is left open: no audio connection, no device stream in the worker or on the sound server.
    await waitFor('headset closed in its worker', async () => !(await headsetWorker.stats()).open, 5000);
    await waitFor('no stream of the station left on the sound server', () => {
      const streams = pulse.streamsOf(process.pid);
      return streams.playback === 0 && streams.capture === 0;
    }, 5000);
    expect(audioOnControl).toBe(0);
    offAudio();

    const page = rig.station.callLog!.query({ direction: 'test-dial' });
    expect(page.records[0]).toMatchObject({ direction: 'test-dial', lineId: 'wa1', destination: ECHO, caller: 'operator', outcome: 'answered', hangupSide: 'station' });
    expect(page.records[0]!.answeredAt).not.toBeNull();
    // Test dials are the operator's checks, not traffic: the line's statistics leave them out.
    expect(rig.station.callLog!.stats({}, 'day').total.attempts).toBe(0);
    // But WhatsApp saw a call from the account: it counts towards the line's anti-ban limits.
    expect(rig.station.policy!.counters('wa1')).toMatchObject({ uniqueLastHour: 1, uniqueToday: 1 });
    await expect(handle('testDial.hangUp', {})).rejects.toThrow('no test dial is in progress to hang up');
  }, 60_000);

  it('the headset path adds little delay: mouth to ear through the echo contact', async () => {
    await handle('testDial.start', { lineId: 'wa1', number: ECHO });
    await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
    await new Promise((r) => setTimeout(r, 2000));
    // Noise bursts (no period to slip by), recorded where they enter the mic and where they leave the
    // speaker (two recordings of one server's clock; they start a few milliseconds apart at most).
    const pattern = new Int16Array(16_000 * 4);
    const bursts = [0, 1, 2, 3, 4, 5].map((b) => ({ at: 8000 + 8000 * b, length: 1600 + 400 * (b % 3) }));
    for (const [i, b] of bursts.entries()) pattern.set(whiteNoise(-15, b.length, i + 1), b.at);
    const measure = async (): Promise<number[]> => {
      const mouth = pulse.record(MIC_SINK);
      const ear = pulse.record();
      await pulse.play(pattern).done;
      await new Promise((r) => setTimeout(r, 500));
      const [said, heard] = await Promise.all([mouth.stop(), ear.stop()]);
      // Each burst on its own: a frame the latency budget dropped or a gap it filled moves later
      // bursts, not the measurement. Where the bursts start in the mic recording is found from its level.
      const onset = said.findIndex((v) => Math.abs(v) > 1000);
      if (onset < 0 || heard.length < onset + pattern.length) return [];
      const measured = bursts.map((b) => {
        const from = onset + b.at - bursts[0]!.at - 800;
        return bestLag(said.subarray(from, from + b.length + 1600 + 8000), heard.subarray(from, from + b.length + 1600 + 8000), 8000);
      });
      console.log(`mouth to ear per burst: ${measured.map((m) => `${Math.round((m.lag / 16_000) * 1000)} ms (r ${m.r.toFixed(2)})`).join(', ')}`);
      return measured.filter((m) => m.r > 0.8).map((m) => (m.lag / 16_000) * 1000);
    };
    // The machine's other work can stall the event loop for a second (the test process also runs the
    // virtual phones): such a stall shows as bursts that do not come back; measure again, at most twice.
    let good: number[] = [];
    for (let attempt = 0; attempt < 3 && good.length < 4; attempt++) good = await measure();
    await handle('testDial.hangUp', {});
    await waitFor('test dial ended', () => latest().state === 'ended', 5000);
    expect(good.length).toBeGreaterThanOrEqual(4);
    const median = good.sort((a, b) => a - b)[Math.floor(good.length / 2)]!;
    expect(median).toBeLessThan(300);
  }, 60_000);

  it('echo test on a line: the signal comes back with correlation > 0.8 and a plausible round trip', async () => {
    const r = (await handle('line.echoTest', { lineId: 'wa1' })) as EchoTestResult;
    console.log(`echo test: ${r.message}`);
    expect(r).toMatchObject({ ok: true, lineId: 'wa1', number: ECHO });
    expect(r.correlation!).toBeGreaterThan(0.8);
    expect(r.roundTripMs!).toBeGreaterThan(0);
    expect(r.roundTripMs!).toBeLessThan(500);
    expect(r.levelDbfs!).toBeGreaterThan(-20);
    const rec = rig.station.callLog!.query({ direction: 'echo-test' }).records[0]!;
    expect(rec).toMatchObject({ destination: ECHO, outcome: 'answered', hangupSide: 'station' });
    await waitFor('line idle again', () => !rig.station.line('wa1')!.busy, 3000);
  }, 60_000);

  it('echo test to a contact who rejects: ok=false with the outcome', async () => {
    const r = (await handle('line.echoTest', { lineId: 'wa1', number: REJECTS })) as EchoTestResult;
    expect(r.ok).toBe(false);
    expect(r.message).toContain('not answered: rejected');
    expect(rig.station.callLog!.query({ direction: 'echo-test', outcome: 'rejected' }).records).toHaveLength(1);
  }, 60_000);

  it('refuses a bad number and an unknown line, naming them', async () => {
    await expect(handle('testDial.start', { lineId: 'wa1', number: '12' })).rejects.toThrow('number: must be an international number');
    await expect(handle('testDial.start', { lineId: 'nope', number: ECHO })).rejects.toThrow('no line has the id "nope"');
  });

  it('of two test dials started at once (the headset still opening), one goes out and the other is refused naming it', async () => {
    const [a, b] = await Promise.allSettled([handle('testDial.start', { lineId: 'wa1', number: ECHO }), handle('testDial.start', { lineId: 'wa2', number: ECHO })]);
    expect(a.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining(`a test dial is already in progress (line wa1 to +${ECHO})`) } });
    await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
    expect(rig.station.line('wa2')!.busy).toBe(false);
    await handle('testDial.hangUp', {});
    await waitFor('test dial ended', () => latest().state === 'ended', 5000);
  }, 60_000);

  it('without the chosen headset the call still goes through, saying why there is no audio', async () => {
    const media = rig.station.config.media;
    rig.station.config.media = { ...media, headset: { input: 'USB Headset' } };
    try {
      const v = (await handle('testDial.start', { lineId: 'wa1', number: ECHO })) as TestDialView;
      expect(v.audioProblem).toBe('headset input "USB Headset" is not connected (input devices: "pulse", "default")');
      expect(rig.station.info().audio).toEqual({ available: false, reason: v.audioProblem });
      await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
      await handle('testDial.hangUp', {});
      await waitFor('test dial ended', () => latest().state === 'ended', 5000);
    } finally {
      rig.station.config.media = media;
    }
  }, 60_000);

  it('after adb kill-server mid test dial the headset worker follows the new forward and the tone comes back to the speaker', async () => {
    const headsetWorker = rig.station.testDial!.headset;
    const phoneCounts = async () => (await headsetWorker.stats()).phone?.counts ?? { toPhone: 0, fromPhone: 0, connects: 0 };
    stopMic = pulse.play(tone(TONE_HZ, TONE_DBFS, 16_000, 16_000 * 60)).stop;
    await handle('testDial.start', { lineId: 'wa1', number: ECHO });
    await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
    await waitFor('audio flowing', async () => (await phoneCounts()).fromPhone >= 50, 10_000);
    const port = rig.station.line('wa1')!.port;
    const before = port.forward!.port;
    // The adb server dies: every forward goes, the supervisor makes a new one, the worker's audio connection follows it.
    await adb(rig.adbPort, 'kill-server');
    await waitFor('the line lost its phone', () => !port.isUp, 5_000);
    await waitFor('phone ready again', () => port.isUp, 15_000);
    console.log(`forward moved from port ${before} to ${port.forward!.port}`);
    await waitFor('audio connection through the new forward', async () => (await phoneCounts()).connects >= 2, 15_000);
    const after = (await phoneCounts()).fromPhone;
    await waitFor('audio flowing after the adb restart', async () => (await phoneCounts()).fromPhone >= after + 75, 10_000);
    try {
      expect(latest().state).toBe('connected');
      // The speaker's queue refills after the gap: on a loaded machine the first second after the restart
      // may still be partly silent, so listen second by second until the tone is back (or the deadline).
      let heard: Int16Array = new Int16Array(0);
      const toneBack = () =>
        Math.abs(dominantFrequency(heard, 16_000, 200, 4000) - TONE_HZ) / TONE_HZ < 0.01 && toneDbfs(heard, TONE_HZ, 16_000) > TONE_DBFS - 6;
      await waitFor('the tone on the speaker again', async () => {
        heard = await pulse.recordFor(1000);
        return toneBack();
      }, 15_000).catch(() => undefined);
      expect(Math.abs(dominantFrequency(heard, 16_000, 200, 4000) - TONE_HZ) / TONE_HZ).toBeLessThan(0.01);
      expect(toneDbfs(heard, TONE_HZ, 16_000)).toBeGreaterThan(TONE_DBFS - 6);
    } finally {
      stopMic();
      await handle('testDial.hangUp', {});
      await waitFor('test dial ended', () => latest().state === 'ended', 5000);
      await waitFor('the other phone ready again', () => rig.station.line('wa2')!.port.isUp, 15_000);
    }
  }, 60_000);

  it('unplugging the phone mid test dial ends it and keeps the record', async () => {
    await handle('testDial.start', { lineId: 'wa2', number: ECHO });
    await waitFor('test dial connected', () => latest().lineId === 'wa2' && latest().state === 'connected', 15_000);
    const phone = rig.farm.phones[1]!;
    await phone.unplug();
    await waitFor('test dial ended', () => latest().state === 'ended', 8000);
    expect(latest().outcome).toBe('error');
    const rec = rig.station.callLog!.query({ direction: 'test-dial', lineId: 'wa2' }).records[0]!;
    expect(rec).toMatchObject({ outcome: 'error', hangupSide: 'station' });
    expect(rec.endedAt).not.toBeNull();
    expect(rig.station.line('wa2')!.busy).toBe(false);
    // Back on the cable, the phone is told to drop the call it still held.
    await phone.plug();
    await waitFor('the phone dropped the orphaned call', () => !farmInCall(), 20_000);
  }, 60_000);

  function farmInCall(): boolean {
    return rig.farm.whatsapp.inCall(ECHO);
  }
});
