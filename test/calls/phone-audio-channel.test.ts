/**
 * A call's audio travels on its own connection to the phone's agent, opened and served by the media
 * worker of the call's RTP session (PROTOCOL.md, "Channels"): baresip -> kamailio -> station -> virtual
 * phone -> echoing WhatsApp contact and back, with the control thread's share of the audio counted
 * (frames on the agent's control link, PCM frames crossing between the control thread and the workers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../electron/station/calls/call';
import { dominantFrequency, toneDbfs } from '../../native-audio/pcm';
import { TestStation } from '../../phone-agent/simulator/agent/test-station';
import { adb } from '../support/adb';
import { CallRig, ECHO, readPcm } from '../support/call-rig';
import type { Baresip } from '../support/baresip';
import { expectEchoedTestSignal } from '../support/echo-check';
import { waitFor } from '../support/wait';

describe("a call's audio on its own connection, in the media worker", () => {
  let rig: CallRig;

  beforeAll(async () => {
    rig = new CallRig({ phones: 1 });
    await rig.start();
  }, 90_000);

  afterAll(async () => {
    await rig?.stop();
  });

  const line = () => rig.station.line('wa1')!;
  const phoneAudio = (call: Call) => call.phoneAudioCounts ?? { toPhone: 0, fromPhone: 0, connects: 0 };

  async function echoCall(): Promise<{ desk: Baresip; call: Call }> {
    const desk = await rig.deskPhone('G722', 'manual', ECHO);
    desk.dial(rig.lineUri);
    await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
    await waitFor('call bridged', () => line().call?.bridged === true, 10_000);
    return { desk, call: line().call! };
  }

  /** Hangs up and returns what the desk phone heard and sent, at its rate. */
  async function hangUp(desk: Baresip): Promise<{ heard: Int16Array; sent: Int16Array; rate: number }> {
    desk.hangup();
    await desk.waitEvent((e) => e.type === 'CALL_CLOSED');
    await waitFor('call ended on the line', () => line().call?.state === 'ended');
    // The line takes the next call once the phone has confirmed its hang-up and its link is up (a loaded
    // machine's next test dialled before that and got 486 busy).
    await waitFor('line free again', () => !line().busy && line().port.isUp, 15_000);
    const heard = readPcm(desk.recordings().heard[0]!);
    return { heard: heard.pcm, sent: readPcm(desk.recordings().sent[0]!).pcm, rate: heard.rate };
  }

  /** The 1 kHz tone of the test signal, at its level, in `pcm`. */
  function expectTone(pcm: Int16Array, rate: number): void {
    expect(Math.abs(dominantFrequency(pcm, rate, 300, 3000, 5) - 1000)).toBeLessThan(10);
    const level = toneDbfs(pcm, 1000, rate);
    expect(level).toBeGreaterThan(-20);
    expect(level).toBeLessThan(-8);
  }

  it('carries no audio frame through the control thread, and the caller hears the echo', async () => {
    const media = rig.station.media!;
    let audioOnControl = 0;
    const off = line().port.on('message', (m) => {
      if (m.type === 'audio') audioOnControl++;
    });
    const crossed = media.crossings;
    const { desk, call } = await echoCall();
    try {
      // Four seconds of audio, counted by the worker that carries it.
      await waitFor('200 frames each way through the worker', () => phoneAudio(call).fromPhone >= 200 && phoneAudio(call).toPhone >= 200, 20_000);
      await hangUp(desk);
      // The caller hears the echo: the test signal's tone at its level, and what was sent matched per
      // 100 ms (one frame lost on a loaded machine spoils one window, not a whole second's correlation).
      expectEchoedTestSignal(desk, 'G722');
      // The whole call's audio went through the worker's own connection to the phone...
      expect(phoneAudio(call)).toMatchObject({ connects: 1 });
      // ...and none of it through the control thread: no audio on the control link, no PCM between threads.
      expect(audioOnControl).toBe(0);
      expect(media.crossings).toEqual(crossed);
    } finally {
      off();
      await desk.stop();
    }
  });

  it('reconnects the audio connection when it drops mid-call and after adb kill-server; the call keeps its audio', async () => {
    const { desk, call } = await echoCall();
    try {
      await waitFor('audio flowing', () => phoneAudio(call).fromPhone >= 50, 15_000);
      // Another audio connection through the forward replaces the worker's: the agent closes it.
      const intruder = await TestStation.connect(line().port.forward!.port);
      await intruder.handshake(undefined, 'audio');
      await waitFor('the worker reconnected', () => phoneAudio(call).connects >= 2, 10_000);
      await intruder.closed;
      const afterDrop = phoneAudio(call).fromPhone;
      await waitFor('audio flowing again', () => phoneAudio(call).fromPhone >= afterDrop + 50, 10_000);

      // The adb server dies: every forward goes, the supervisor makes a new one, the worker follows it.
      await adb(rig.adbPort, 'kill-server');
      await waitFor('the line lost its phone', () => line().port.isUp === false, 5_000);
      await waitFor('phone ready again', () => line().port.isUp, 15_000);
      await waitFor('audio connection through the new forward', () => phoneAudio(call).connects >= 3, 15_000);
      const afterKill = phoneAudio(call).fromPhone;
      await waitFor('audio flowing after the adb restart', () => phoneAudio(call).fromPhone >= afterKill + 75, 10_000);
      expect(line().call).toBe(call);
      expect(call.state).toBe('connected');

      const { heard, rate } = await hangUp(desk);
      // The last second and a half before the hang-up: the echo through the third audio connection.
      expectTone(heard.subarray(heard.length - rate * 2, heard.length - rate / 2), rate);
    } finally {
      await desk.stop();
    }
  });
});
