/**
 * Test dial and the line echo test, end to end: a real PulseAudio daemon plays the operator's headset
 * (a tone into the microphone, the speaker recorded from its monitor), the station opens it through
 * naudiodon, and a virtual phone behind a private adb server places the WhatsApp calls. The commands
 * go through the station's command handler, as the console sends them.
 */
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCommandHandler, type CommandHandler } from '../../electron/station/server/command-handler';
import type { StationEvent } from '../../electron/station/api/contract';
import type { EchoTestResult, TestDialView } from '../../electron/station/api/types';
import { measureFrame } from '../../native-audio/level-meter';
import { bestLag, dominantFrequency, medianToneDbfs, toneDbfs } from '../../native-audio/pcm';
import { tone, whiteNoise } from '../../native-audio/tone';
import { adb } from '../support/adb';
import { CallRig, ECHO, REJECTS } from '../support/call-rig';
import { MIC_SINK, PulseAudio, untilRecorded } from '../support/pulse';
import { waitFor } from '../support/wait';

const TONE_HZ = 1000;
const TONE_DBFS = -12;
const RATE = 16_000;
/** 20 ms at 16 kHz: the station's frame, and the window the tone's level is read in. */
const FRAME = 320;

/** White noise smoothed by [1 2 1] / 4: most of its energy below 4 kHz, little above 6 kHz. */
function voiceBandNoise(samples: number): Int16Array {
  const white = whiteNoise(-12, samples + 2, 7);
  return Int16Array.from({ length: samples }, (_, i) => Math.round((white[i]! + 2 * white[i + 1]! + white[i + 2]!) / 4));
}

/**
 * Whether what the speaker played is what the mic took: every 20 ms of sound in `heard` is looked for
 * in `said`, 300 ms either side of where it would be without drops or gaps (counted from where the
 * noise starts in each recording, found from its level), and the median of the correlations found is
 * taken. The headset's
 * latency budget drops a frame when a burst overfills it and the sound device plays silence when a
 * write comes late, which on a loaded machine splices the echo several times a second: what was
 * dropped is not heard, and what is heard must still be the operator's voice.
 */
function heardIsSaid(said: Int16Array, heard: Int16Array): { windows: number; correlation: number } {
  const window = FRAME;
  const span = Math.round(0.3 * RATE);
  const loud = (pcm: Int16Array): number => pcm.findIndex((v) => Math.abs(v) > 1000);
  const onset = loud(heard);
  const saidAt = loud(said);
  const found: number[] = [];
  for (let at = Math.max(0, onset); onset >= 0 && saidAt >= 0 && at + window <= Math.min(heard.length, onset + said.length - saidAt); at += window) {
    const piece = heard.subarray(at, at + window);
    if (measureFrame(piece).rmsDbfs < -40) continue; // a gap: silence is not compared
    const from = Math.max(0, saidAt + at - onset - span);
    const to = Math.min(said.length, saidAt + at - onset + span + window);
    const input = new Int16Array(to - from);
    input.set(piece);
    found.push(bestLag(input, said.subarray(from, to), to - from - window).r);
  }
  return { windows: found.length, correlation: found.sort((a, b) => a - b)[Math.floor(found.length / 2)] ?? 0 };
}

/** The tone's level where it is heard (per 20 ms, the median): a gap the loaded sound server leaves does not read as a quieter tone. */
const toneLevel = (pcm: Int16Array): number => medianToneDbfs(pcm, TONE_HZ, RATE, FRAME);

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
  const speakerFrames = async (): Promise<number> => (await rig.station.testDial!.headset.stats()).phone?.counts.fromPhone ?? 0;

  // A test that fails mid-call leaves no test dial running for the next one.
  afterEach(async () => {
    stopMic();
    const view = views.at(-1);
    if (!view || view.state === 'ended') return;
    await handle('testDial.hangUp', {}).catch(() => undefined);
    await waitFor('the test dial left running ended', () => latest().state === 'ended', 10_000);
  });

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
    stopMic = pulse.play(tone(TONE_HZ, TONE_DBFS, RATE, RATE * 60)).stop;
    const started = (await handle('testDial.start', { lineId: 'wa1', number: `+${ECHO}` })) as TestDialView;
    expect(started).toMatchObject({ lineId: 'wa1', number: ECHO, muted: false, audioProblem: null });
    // A second test dial while one runs is refused, naming the one in progress.
    await expect(handle('testDial.start', { lineId: 'wa2', number: ECHO })).rejects.toThrow(`a test dial is already in progress (line wa1 to +${ECHO})`);
    await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
    // The grid shows it as the line's call.
    const line = rig.station.lines().find((l) => l.id === 'wa1')!;
    expect(line.registration.state).toBe('in-call');
    expect(line.call).toMatchObject({ direction: 'test-dial', number: ECHO, state: 'connected' });

    // Once the echo comes back (a second of it from the phone, and the panel's level meters show the
    // tone both ways), listen to the speaker for a second and a half.
    await waitFor('a second of echo from the phone', async () => (await speakerFrames()) >= 50, 15_000);
    await waitFor('levels pushed', () => (latest().levelMicDbfs ?? -120) > -16 && (latest().levelSpeakerDbfs ?? -120) > -16, 5000);
    const heard = await pulse.recordSeconds(1.5);
    const f = dominantFrequency(heard, RATE, 200, 4000);
    const level = toneLevel(heard);
    console.log(`speaker: ${f.toFixed(1)} Hz at ${level.toFixed(1)} dBFS (${toneDbfs(heard, TONE_HZ, RATE).toFixed(1)} over the whole recording); panel levels mic ${latest().levelMicDbfs} / speaker ${latest().levelSpeakerDbfs} dBFS`);
    expect(Math.abs(f - TONE_HZ) / TONE_HZ).toBeLessThan(0.01);
    expect(level).toBeGreaterThan(TONE_DBFS - 3);
    expect(level).toBeLessThan(TONE_DBFS + 3);
    // What was heard went mic -> headset worker -> phone -> headset worker -> speaker: the worker's
    // counts pass two seconds of frames each way (waited for: a loaded machine's path may lag the sound
    // server's clock by a few frames)...
    await waitFor('100 frames each way through the headset worker', async () => {
      const s = await headsetWorker.stats();
      return s.open && s.phone && s.headset && s.phone.counts.toPhone > 100 && s.phone.counts.fromPhone > 100 && s.headset.speaker > 100 ? s : null;
    }, 10_000);
    expect(pulse.streamsOf(process.pid)).toEqual({ playback: 1, capture: 1 });
    // ...and not a frame of it through the control thread, which never even loaded the sound library.
    expect(audioOnControl).toBe(0);
    expect(rig.station.media!.crossings).toEqual(mediaCrossed);
    expect(headsetWorker.crossings).toEqual(headsetCrossed);
    expect(Object.keys(createRequire(import.meta.url).cache).filter((m) => m.includes('naudiodon'))).toEqual([]);

    // Mute: the worker silences the mic before its level meter, so the panel's mic meter shows silence
    // once it has. From then on the speaker plays only what was already on its way: in two seconds of
    // it the tone (if any was still in flight) ends and stays away for more than a second.
    expect(await handle('testDial.mute', { muted: true })).toMatchObject({ muted: true });
    await waitFor('mic level shows silence', () => (latest().levelMicDbfs ?? 0) < -60, 5000);
    const afterMute = await pulse.recordSeconds(2);
    let lastTone = 0;
    for (let at = 0; at + FRAME <= afterMute.length; at += FRAME) {
      if (toneDbfs(afterMute.subarray(at, at + FRAME), TONE_HZ, RATE) > -50) lastTone = at + FRAME;
    }
    console.log(`muted: ${Math.round((lastTone / RATE) * 1000)} ms of tone still on its way once the mic meter showed silence`);
    expect(toneDbfs(afterMute.subarray(lastTone), TONE_HZ, RATE)).toBeLessThan(-50);
    expect(afterMute.length - lastTone).toBeGreaterThan(RATE);

    stopMic();
    expect(farmInCall()).toBe(true);
    expect(await handle('testDial.hangUp', {})).toEqual({ hungUp: true });
    await waitFor('test dial ended', () => latest().state === 'ended', 10_000);
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
    // The station hung up and the phone confirmed it: a hang-up it never confirmed would be ended by the
    // station's fallback, which says so in the record's end reason.
    expect(page.records[0]).toMatchObject({ direction: 'test-dial', lineId: 'wa1', destination: ECHO, caller: 'operator', outcome: 'answered', hangupSide: 'station', endReason: null });
    // No SIP leg, so no SIP account: the CSV's cell is empty rather than a bare "'@".
    expect(page.records[0]!.sipAccount).toBeNull();
    expect(page.records[0]!.answeredAt).not.toBeNull();
    // Test dials are the operator's checks, not traffic: the line's statistics leave them out.
    expect(rig.station.callLog!.stats({}, 'day').total.attempts).toBe(0);
    // But WhatsApp saw a call from the account: it counts towards the line's anti-ban limits.
    expect(rig.station.policy!.counters('wa1')).toMatchObject({ uniqueLastHour: 1, uniqueToday: 1 });
    await expect(handle('testDial.hangUp', {})).rejects.toThrow('no test dial is in progress to hang up');
  }, 60_000);

  it("the operator's voice comes back whole through the echo contact: what the speaker plays correlates with what the mic took", async () => {
    await handle('testDial.start', { lineId: 'wa1', number: ECHO });
    await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
    await waitFor('audio flowing from the phone', async () => (await speakerFrames()) >= 50, 15_000);
    // Two seconds of noise (no period to slip by, and smoothed to the voice band the resamplers on the
    // way keep) said into the mic, recorded where it enters the mic (the player of a loaded machine
    // leaves gaps of its own in it) and at the speaker, until a second after the last of it was said.
    const mouth = pulse.record(MIC_SINK);
    const ear = pulse.record();
    await Promise.all([untilRecorded(mouth, FRAME), untilRecorded(ear, FRAME)]);
    await pulse.play(voiceBandNoise(2 * RATE)).done;
    const end = mouth.samples();
    await Promise.all([untilRecorded(mouth, end + RATE), untilRecorded(ear, end + RATE)]);
    const [said, heard] = await Promise.all([mouth.stop(), ear.stop()]);
    const echo = heardIsSaid(said, heard);
    console.log(`mouth to ear: ${echo.windows} windows of 20 ms heard, each found in what was said with correlation ${echo.correlation.toFixed(2)} (median)`);
    expect(echo.windows).toBeGreaterThan(25);
    expect(echo.correlation).toBeGreaterThan(0.8);
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

  it('a test dial the contact rejects ends with that outcome, and the operator can test-dial again at once', async () => {
    await handle('testDial.start', { lineId: 'wa1', number: REJECTS });
    await waitFor('test dial ended', () => latest().state === 'ended', 15_000);
    expect(latest()).toMatchObject({ number: REJECTS, outcome: 'rejected', levelMicDbfs: null });
    await expect(handle('testDial.hangUp', {})).rejects.toThrow('no test dial is in progress to hang up');
    expect(await handle('testDial.start', { lineId: 'wa1', number: ECHO })).toMatchObject({ number: ECHO, audioProblem: null });
    await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
    expect(await handle('testDial.hangUp', {})).toEqual({ hungUp: true });
    await waitFor('test dial ended', () => latest().state === 'ended', 10_000);
    expect(latest()).toMatchObject({ number: ECHO, outcome: 'answered' });
  }, 60_000);

  it('of two test dials started at once (the headset still opening), one goes out and the other is refused naming it', async () => {
    const [a, b] = await Promise.allSettled([handle('testDial.start', { lineId: 'wa1', number: ECHO }), handle('testDial.start', { lineId: 'wa2', number: ECHO })]);
    expect(a.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining(`a test dial is already in progress (line wa1 to +${ECHO})`) } });
    await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
    expect(rig.station.line('wa2')!.busy).toBe(false);
    await handle('testDial.hangUp', {});
    await waitFor('test dial ended', () => latest().state === 'ended', 5000);
  }, 60_000);

  it('a hang-up while the headset still opens places no call, closes the headset, and the next test dial goes out', async () => {
    const dialsBefore = rig.station.counters!.recent.filter((c) => c.direction === 'test-dial').length;
    const starting = handle('testDial.start', { lineId: 'wa1', number: ECHO });
    const refused = expect(starting).rejects.toThrow(`the test dial to +${ECHO} on line wa1 was hung up before the call was placed`);
    // The headset is opening (start() has not returned): the operator presses Hang up.
    expect(await handle('testDial.hangUp', {})).toEqual({ hungUp: true });
    await refused;
    expect(rig.station.counters!.recent.filter((c) => c.direction === 'test-dial').length).toBe(dialsBefore);
    expect(rig.station.line('wa1')!.busy).toBe(false);
    await waitFor('headset closed in its worker', async () => !(await rig.station.testDial!.headset.stats()).open, 5000);
    // A second Hang up finds nothing to end, and a new test dial goes out at once.
    await expect(handle('testDial.hangUp', {})).rejects.toThrow('no test dial is in progress to hang up');
    await handle('testDial.start', { lineId: 'wa1', number: ECHO });
    await waitFor('test dial connected', () => latest().state === 'connected', 15_000);
    await handle('testDial.hangUp', {});
    await waitFor('test dial ended', () => latest().state === 'ended', 10_000);
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
    stopMic = pulse.play(tone(TONE_HZ, TONE_DBFS, RATE, RATE * 60)).stop;
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
        Math.abs(dominantFrequency(heard, RATE, 200, 4000) - TONE_HZ) / TONE_HZ < 0.01 && toneLevel(heard) > TONE_DBFS - 6;
      await waitFor('the tone on the speaker again', async () => {
        heard = await pulse.recordSeconds(1);
        return toneBack();
      }, 15_000).catch(() => undefined);
      expect(Math.abs(dominantFrequency(heard, RATE, 200, 4000) - TONE_HZ) / TONE_HZ).toBeLessThan(0.01);
      expect(toneLevel(heard)).toBeGreaterThan(TONE_DBFS - 6);
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
