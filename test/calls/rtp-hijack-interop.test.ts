/**
 * RTP hijack, tried as an attacker on the same network would: during a real call (kamailio, baresip as
 * the PBX user's phone, the station, a virtual phone whose WhatsApp contact echoes), a stranger on
 * 127.0.0.2 sends a loud 1.5 kHz tone as RTP (and RTCP) to the call's ports. A station that latched
 * onto any source would send the caller's echo to the stranger (the caller hears silence) and play the
 * stranger's tone into the call. What the caller hears is measured before and during the attack: the
 * same 1 kHz echo at the same level, no 1.5 kHz; the stranger gets nothing, and the call counts it.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODECS } from '../../native-audio/codecs/index';
import { dominantFrequency, medianToneDbfs, toneDbfs } from '../../native-audio/pcm';
import { buildCompound } from '../../electron/station/media/rtcp';
import { serializeRtp } from '../../electron/station/media/rtp-packet';
import type { RtpSessionStats } from '../../electron/station/media/rtp-session';
import { CallRig, ECHO, readPcm } from '../support/call-rig';
import { waitFor } from '../support/wait';

const ATTACKER = '127.0.0.2';
const rig = new CallRig();

beforeAll(() => rig.start(), 60_000);
afterAll(() => rig.stop());

/** The call's media session as the station's media workers report it. */
async function callSession(): Promise<RtpSessionStats | undefined> {
  const workers = await rig.station.media!.pullStats();
  return workers.flatMap((w) => w.sessions).find((s) => s.state === 'active');
}

/** A stranger sending 20 ms PCMU frames of a full-scale 1.5 kHz tone, and an RTCP report a second. */
async function startAttack(rtpPort: number): Promise<{ stop(): Promise<void>; sent: () => number; received: () => number }> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, ATTACKER, resolve));
  let received = 0;
  socket.on('message', () => received++);
  const encoder = CODECS.PCMU.createEncoder();
  let seq = 0;
  let sent = 0;
  const ssrc = 0x5eed1e55;
  const frame = (n: number): Int16Array => Int16Array.from({ length: 160 }, (_, i) => Math.round(30_000 * Math.sin((2 * Math.PI * 1500 * (n * 160 + i)) / 8000)));
  const timer = setInterval(() => {
    const wire = serializeRtp({ payloadType: 0, sequenceNumber: seq & 0xffff, timestamp: (seq * 160) >>> 0, ssrc, payload: encoder.encode(frame(seq)), marker: seq === 0 });
    socket.send(wire, rtpPort, '127.0.0.1');
    if (seq % 50 === 0) socket.send(buildCompound({ ssrc, cname: 'stranger@127.0.0.2', reports: [] }), rtpPort + 1, '127.0.0.1');
    seq++;
    sent++;
  }, 20);
  return {
    sent: () => sent,
    received: () => received,
    stop: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

describe('a stranger sending RTP to a call', () => {
  it('changes nothing the caller hears, gets none of the call, and is counted', { timeout: 60_000 }, async () => {
    const desk = await rig.deskPhone('PCMU', 'manual', ECHO);
    const line = rig.station.line('wa1')!;
    desk.dial(rig.lineUri);
    await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
    const established = performance.now();
    const { value: session } = await waitFor('the call latched to the PBX side', async () => {
      const s = await callSession();
      return s && s.packetsReceived > 20 ? s : undefined;
    });
    const peer = session.remote;
    // Two seconds of the call undisturbed, then the attack for three.
    await waitFor('two seconds of call', () => performance.now() - established >= 2_000, 5_000);
    const attackFrom = (performance.now() - established) / 1000;
    const attack = await startAttack(session.localPort);
    try {
      await waitFor('three seconds of attack', () => attack.sent() >= 150, 10_000);
      const during = (await callSession())!;
      expect(during.remote).toBe(peer);
      expect(during.foreignPackets).toBeGreaterThanOrEqual(attack.sent() - 10);
      expect(during.foreignRtcp).toBeGreaterThan(0);
      // The operator sees it in the line's call stats.
      await waitFor('counted on the line', () => (line.call?.view().stats?.foreignPackets ?? 0) > 100);
    } finally {
      await attack.stop();
    }
    const attackTo = (performance.now() - established) / 1000;
    expect(attack.received()).toBe(0);
    desk.hangup();
    await desk.waitEvent((e) => e.type === 'CALL_CLOSED');
    await waitFor('call ended on the line', () => line.call?.state === 'ended');

    const heard = readPcm(desk.recordings().heard[0]!);
    const rate = heard.rate;
    const window = (from: number, to: number) => heard.pcm.subarray(Math.round(rate * from), Math.round(rate * to));
    // Before: from 0.8 s (buffers filled) to the attack; during: its middle, away from both edges. The
    // echo's level is read where sound is heard: the recording of a loaded machine has gaps (the jitter
    // buffers filling late frames with silence), and a whole-window level read 4 dB apart for an echo
    // that was the same, depending on which window a gap fell in.
    const before = window(0.8, attackFrom);
    const under = window(attackFrom + 0.5, attackTo - 0.5);
    expect(under.length).toBeGreaterThan(rate);
    const levelBefore = medianToneDbfs(before, 1000, rate);
    const levelUnder = medianToneDbfs(under, 1000, rate);
    expect(Math.abs(dominantFrequency(under, rate, 300, 3000, 5) - 1000)).toBeLessThan(10);
    expect(levelUnder).toBeGreaterThan(-20);
    expect(Math.abs(levelUnder - levelBefore)).toBeLessThan(3);
    // The stranger's tone did not reach the WhatsApp side (whose echo the caller hears).
    expect(toneDbfs(under, 1500, rate)).toBeLessThan(-40);
    console.log(
      `caller heard 1 kHz at ${levelBefore.toFixed(1)} dBFS before and ${levelUnder.toFixed(1)} dBFS during the attack, ` +
        `1.5 kHz at ${toneDbfs(under, 1500, rate).toFixed(1)} dBFS; ${attack.sent()} foreign packets sent, 0 answered`,
    );
    await desk.stop();
  });
});
