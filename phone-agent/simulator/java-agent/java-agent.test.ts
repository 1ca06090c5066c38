/**
 * The real Java agent core behind a virtual phone, reached like a phone's agent: pushed and started over
 * the real adb server with app_process, its abstract socket through `adb forward`, a control and an audio
 * connection (protocol v3). An echo call on the simulated WhatsApp carries a tone there and back, measured
 * by frequency and level; pkill stops the instance (ps no longer lists it) and the station hears the call
 * end; the garbled-frame hook breaks the control stream at a frame boundary.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../electron/station/util/log';
import { bufferToPcm, dominantFrequency, medianToneDbfs } from '../../../native-audio/pcm';
import { INCOMING_CALL_ID_BIT, type MessageOf } from '../../protocol';
import { killAdbServer, runAdb } from '../adbd';
import { startPrivateAdbServer } from '../adbd/test-support';
import { TestStation } from '../agent/test-station';
import { VirtualPhoneFarm } from '../virtual-phone-farm';
import { waitFor } from '../../../test/support/wait';

const AGENT_JAR = fileURLToPath(new URL('../virtual-agent.jar', import.meta.url));
const START_AGENT =
  'CLASSPATH=/data/local/tmp/sip2wa-agent.jar app_process / org.sip2wa.agent.Main --socket sip2wa_agent --daemon';
const ECHO = '15550100001';
const TONE = '15550100002';

let adbPort: number;
let farm: VirtualPhoneFarm;
const stations: TestStation[] = [];

const serial = (phone = 0): string => farm.phones[phone]!.serial;
const sh = (command: string, phone = 0): Promise<string> => runAdb(adbPort, ['-s', serial(phone), 'shell', command]);

async function station(channel: 'control' | 'audio', phone = 0): Promise<TestStation> {
  const port = Number((await runAdb(adbPort, ['-s', serial(phone), 'forward', 'tcp:0', 'localabstract:sip2wa_agent'])).trim());
  const s = await TestStation.connect(port);
  stations.push(s);
  await s.handshake(undefined, channel);
  return s;
}

/** A 20 ms frame of a 1 kHz tone at -12 dBFS, continuing the phase of frame n. */
/**
 * Sends `frames` frames of tone into `to`: the first at once, then one for every audio frame `from`
 * receives, which the agent sends every 20 ms by its own pacer (its uplink runs on the phone's clock,
 * silence when nothing came). Returns the frames `from` received meanwhile.
 */
async function pacedTone(to: TestStation, from: TestStation, frames: number, hz: number): Promise<Buffer[]> {
  const received: Buffer[] = [];
  let sent = 0;
  const sendNext = () => to.send({ type: 'audio', seq: sent, timestamp: sent * 320, pcm: toneFrame(sent++, hz) });
  sendNext();
  await waitFor(`${frames} frames sent in step with the agent`, () => {
    for (const m of from.inbox.splice(0)) {
      if (m.type !== 'audio') continue;
      received.push(m.pcm);
      if (sent < frames) sendNext();
    }
    return sent >= frames;
  }, 15_000, 5);
  return received;
}

function toneFrame(n: number, hz = 1000): Buffer {
  const pcm = Buffer.alloc(640);
  for (let i = 0; i < 320; i++) pcm.writeInt16LE(Math.round(8200 * Math.sin((2 * Math.PI * hz * (n * 320 + i)) / 16000)), i * 2);
  return pcm;
}

/** The tone sent, 8200 peak: -12 dBFS. */
const TONE_DBFS = 20 * Math.log10(8200 / 32767);

/**
 * The strongest frequency of s16le frames (Goertzel: a silent frame among them does not move it, as it
 * moves a count of zero crossings) and the level of that tone where it is heard (per frame, the median:
 * frames of silence from a jitter FIFO that ran dry on a loaded machine are a gap, not a quieter tone).
 */
function measure(frames: Buffer[], nearHz: number): { hz: number; dbfs: number } {
  const pcm = bufferToPcm(Buffer.concat(frames));
  const hz = dominantFrequency(pcm, 16000, 300, 3000, 5);
  return { hz, dbfs: medianToneDbfs(pcm, nearHz, 16000) };
}

beforeAll(async () => {
  setLogLevel((process.env.SIP2WA_LOG as 'warn' | undefined) ?? 'warn');
  adbPort = await startPrivateAdbServer();
  farm = new VirtualPhoneFarm({ count: 2, basePort: 0, adbPort, agent: 'java' });
  await farm.start();
  for (const phone of [0, 1]) await runAdb(adbPort, ['-s', serial(phone), 'push', AGENT_JAR, '/data/local/tmp/sip2wa-agent.jar']);
}, 60_000);

afterAll(async () => {
  for (const s of stations) s.close();
  await farm?.stop();
  await killAdbServer(adbPort);
});

describe('the Java agent behind a virtual phone', () => {
  it('starts with app_process, shows in ps, says hello and reports the phone', async () => {
    await sh(START_AGENT);
    expect(await sh('pidof app_process')).toMatch(/^\d+\n$/);
    const control = await station('control');
    control.send({ type: 'get-info' });
    const info = await control.next('info');
    expect(info).toMatchObject({ account: farm.phones[0]!.device.account, audioRoute: 'simulated', sdk: 34 });
    farm.phones[0]!.device.batteryLevel = 37;
    control.send({ type: 'get-info' });
    expect((await control.next('info')).batteryLevel).toBe(37);
  });

  it('reports the account state the simulated WhatsApp gives it, and a ban without being asked', async () => {
    const control = await station('control');
    control.send({ type: 'get-info' });
    expect((await control.next('info')).accountState).toBe('registered');
    farm.phones[0]!.setAccountState('banned');
    expect((await control.next('info')).accountState).toBe('banned');
    farm.phones[0]!.setAccountState('registered');
    expect((await control.next('info')).accountState).toBe('registered');
  });

  it('carries an echo call: the tone comes back at its frequency and level', async () => {
    const control = await station('control');
    control.send({ type: 'dial', callId: 7, number: ECHO });
    expect(await control.next('call-dialing')).toEqual({ type: 'call-dialing', callId: 7, number: ECHO });
    await control.next('call-ringing');
    await control.next('call-connected', 5000);
    const audio = await station('audio');
    audio.send({ type: 'audio-start', callId: 7 });
    // Two seconds of tone, paced by the agent as the station's media worker is by its clock.
    const back = await pacedTone(audio, audio, 100, 1000);
    // The echo's last second carries the tone (the first frames may be silence from the jitter buffer).
    try {
      const { hz, dbfs } = measure(back.slice(-50), 1000);
      expect(Math.abs(hz - 1000)).toBeLessThan(10);
      expect(dbfs).toBeGreaterThan(TONE_DBFS - 6);
    } catch (err) {
      // The phone's next tests must find it free.
      control.send({ type: 'hang-up', callId: 7 });
      throw err;
    }
    // A dial while the call is up ends busy at once; the echo call goes on.
    control.send({ type: 'dial', callId: 8, number: TONE });
    expect(await control.next('call-ended')).toEqual({ type: 'call-ended', callId: 8, outcome: 'busy' });
    // Audio commands belong on the audio channel.
    control.send({ type: 'audio-stop', callId: 7 });
    expect((await control.next('error')).code).toBe(3);
    control.send({ type: 'hang-up', callId: 7 });
    expect(await control.next('call-ended', 5000)).toEqual({ type: 'call-ended', callId: 7, outcome: 'local-hangup' });
    control.send({ type: 'hang-up', callId: 7 });
    expect((await control.next('error')).code).toBe(2);
  }, 20_000);

  it('rings the station for an incoming WhatsApp call with an agent id', async () => {
    const control = await station('control');
    const account = farm.phones[0]!.device.account;
    farm.whatsapp.call(TONE, account);
    const incoming: MessageOf<'call-incoming'> = await control.next('call-incoming', 5000);
    expect(incoming.callId & INCOMING_CALL_ID_BIT).not.toBe(0);
    expect(incoming.number).toBe(TONE);
    control.send({ type: 'decline', callId: incoming.callId });
    expect(await control.next('call-ended', 5000)).toEqual({ type: 'call-ended', callId: incoming.callId, outcome: 'rejected' });
  });

  it('runs a second phone\'s agent in the same JVM: one phone calls the other and the tone crosses', async () => {
    await sh(START_AGENT, 1);
    const caller = await station('control');
    const callee = await station('control', 1);
    caller.send({ type: 'dial', callId: 31, number: farm.phones[1]!.device.account });
    const incoming = await callee.next('call-incoming', 5000);
    expect(incoming.number).toBe(farm.phones[0]!.device.account);
    callee.send({ type: 'answer', callId: incoming.callId });
    await caller.next('call-connected', 5000);
    await callee.next('call-connected', 5000);
    const callerAudio = await station('audio');
    const calleeAudio = await station('audio', 1);
    callerAudio.send({ type: 'audio-start', callId: 31 });
    calleeAudio.send({ type: 'audio-start', callId: incoming.callId });
    const heard = await pacedTone(callerAudio, calleeAudio, 75, 800);
    try {
      const { hz, dbfs } = measure(heard.slice(-25), 800);
      expect(Math.abs(hz - 800)).toBeLessThan(10);
      expect(dbfs).toBeGreaterThan(TONE_DBFS - 6);
    } finally {
      // Even when the tone did not cross: the phone's next test dials and must find it free.
      caller.send({ type: 'hang-up', callId: 31 });
    }
    expect(await callee.next('call-ended', 5000)).toEqual({ type: 'call-ended', callId: incoming.callId, outcome: 'remote-hangup' });
  }, 20_000);

  it('breaks the control stream at a frame boundary when garbled', async () => {
    const control = await station('control');
    farm.phones[0]!.garbleNextFrame('unknown-type');
    control.send({ type: 'ping', nonce: 5 });
    await waitFor('the garbled frame', () => control.protocolError !== null, 5000);
    expect(control.protocolError?.code).toBe('unknown-type');
  });

  it('is stopped by pkill: the call in progress ends for the station, ps no longer lists it', async () => {
    const control = await station('control');
    control.send({ type: 'dial', callId: 21, number: ECHO });
    await control.next('call-connected', 5000);
    await sh('pkill -f org.sip2wa.agent');
    expect(await control.next('call-ended', 5000)).toEqual({ type: 'call-ended', callId: 21, outcome: 'local-hangup' });
    await control.closed;
    expect(await sh('pidof app_process')).toBe('');
    // Started again, it serves the station as before.
    await sh(START_AGENT);
    const again = await station('control');
    again.send({ type: 'ping', nonce: 9 });
    expect((await again.next('pong')).nonce).toBe(9);
  }, 20_000);
});
