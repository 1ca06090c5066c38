import { afterEach, describe, expect, it } from 'vitest';
import type { CodecName } from '../../../native-audio/codecs/index';
import { toneDbfs, zeroCrossingFrequency } from '../../../native-audio/pcm';
import { dtmfFrequencies, type DtmfDigit as KeypadDigit } from '../../../native-audio/dtmf-detector';
import { DualToneGenerator, ToneGenerator, toPcm16 } from '../../../native-audio/tone';
import { setLogLevel } from '../util/log';
import { PacingClock } from '../../../native-audio/pacing-clock';
import { PCM_FRAME_SAMPLES, RtpSession } from './rtp-session';
import type { NegotiatedAudio } from './sdp';

setLogLevel('warn');

function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

const PT: Record<CodecName, number> = { G722: 9, PCMU: 0, PCMA: 8 };
const negotiation = (codec: CodecName, remotePort: number): NegotiatedAudio => ({
  codec, payloadType: PT[codec], telephoneEventPt: 101, remoteAddress: '127.0.0.1', remotePort, remoteRtcpPort: remotePort + 1, direction: 'sendrecv', ptime: 20,
});

const sessions: RtpSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

interface Run {
  received: Int16Array[];
  digits: string[];
  a: RtpSession;
  b: RtpSession;
  clock: PacingClock;
}

/** A sends a 1 kHz tone at -12 dBFS to B for `seconds` over real UDP on loopback; B's PCM is collected. */
async function runTone(codec: CodecName, seconds: number, opts: { lossRate?: number; dtmf?: string } = {}): Promise<Run> {
  const clock = new PacingClock();
  const received: Int16Array[] = [];
  const digits: string[] = [];
  const a = await RtpSession.open({ id: 'a', clock, portRange: { min: 42000, max: 42999 } });
  const b = await RtpSession.open({
    id: 'b', clock, portRange: { min: 43000, max: 43999 },
    onPcm: (f) => received.push(f), onDtmf: (d) => digits.push(d.digit),
    receiveLossRate: opts.lossRate, random: rng(1234),
  });
  sessions.push(a, b);
  a.configure(negotiation(codec, b.localPort));
  // B starts with a wrong remote port: symmetric RTP must latch onto where A's packets come from.
  b.configure(negotiation(codec, a.localPort + 500));
  const gen = new ToneGenerator(1000, -12, 16000);
  const stopFeed = clock.add(() => a.pushPcm(toPcm16(gen.next(PCM_FRAME_SAMPLES))));
  if (opts.dtmf) setTimeout(() => a.sendDtmf(opts.dtmf!), 300);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stopFeed();
  return { received, digits, a, b, clock };
}

function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.length * PCM_FRAME_SAMPLES);
  frames.forEach((f, i) => out.set(f, i * PCM_FRAME_SAMPLES));
  return out;
}

describe('RtpSession on loopback', () => {
  it.each<CodecName>(['G722', 'PCMU'])('carries a 1 kHz tone through %s at the right frequency and level', async (codec) => {
    const { received, a, b } = await runTone(codec, 1.6);
    // One 640-byte frame per 20 ms tick, from configure on.
    expect(received.length).toBeGreaterThan(70);
    expect(received.every((f) => f.length === PCM_FRAME_SAMPLES && f.byteLength === 640)).toBe(true);
    const tail = concat(received.slice(-40)); // the last 800 ms, well past jitter buffer start-up
    const freq = zeroCrossingFrequency(tail, 16000);
    const level = toneDbfs(tail, 1000, 16000);
    console.log(`${codec}: ${freq.toFixed(2)} Hz, ${level.toFixed(2)} dBFS, stats ${JSON.stringify(b.stats())}`);
    expect(Math.abs(freq - 1000)).toBeLessThan(10);
    expect(Math.abs(level + 12)).toBeLessThan(1);
    const sa = a.stats();
    const sb = b.stats();
    expect(sb.packetsReceived).toBeGreaterThan(60);
    expect(sb.lost).toBe(0);
    expect(sb.codec).toBe(codec);
    expect(sb.remote).toBe(`127.0.0.1:${a.localPort}`); // latched
    expect(sa.packetsReceived).toBeGreaterThan(60); // A receives B's (silent) stream: latching worked
    expect(sb.levelInDbfs).toBeGreaterThan(-13.5);
    expect(sa.levelOutDbfs).toBeGreaterThan(-13.5);
    expect(b.describe()).toMatch(new RegExp(`rtp ${codec}/${PT[codec]}`));
  });

  it.each<CodecName>(['G722', 'PCMU'])('conceals 5 percent random loss through %s: output stays continuous and the tone measurable', async (codec) => {
    const { received, b } = await runTone(codec, 2.5, { lossRate: 0.05 });
    const st = b.stats();
    console.log(`${codec} with loss: ${JSON.stringify(st)}`);
    expect(st.rejected.impairment).toBeGreaterThan(0);
    expect(st.lost).toBeGreaterThan(0);
    expect(st.concealed).toBeGreaterThanOrEqual(st.lost - 2);
    const playing = received.slice(-100);
    // Continuity: every frame of the steady part carries the tone (no silent gap where packets were lost).
    const quiet = playing.filter((f) => toneDbfs(f, 1000, 16000) < -30).length;
    expect(quiet).toBeLessThanOrEqual(1);
    const tail = concat(playing);
    expect(Math.abs(zeroCrossingFrequency(tail, 16000) - 1000)).toBeLessThan(10);
    expect(Math.abs(toneDbfs(tail, 1000, 16000) + 12)).toBeLessThan(2);
  });

  it('sends DTMF as RFC 4733 events that the other session reports once per digit', async () => {
    const { digits, a, b } = await runTone('PCMU', 1.5, { dtmf: '5#9' });
    expect(digits.join('')).toBe('5#9');
    expect(a.stats().dtmfSent).toBe(3);
    expect(b.stats().dtmfReceived).toBe(3);
  });

  it('exchanges RTCP reports (SR + SDES) and measures the round-trip time', async () => {
    const clock = new PacingClock();
    const a = await RtpSession.open({ id: 'a', clock, rtcpIntervalMs: 200 });
    const b = await RtpSession.open({ id: 'b', clock, rtcpIntervalMs: 200 });
    sessions.push(a, b);
    a.configure(negotiation('PCMU', b.localPort));
    b.configure(negotiation('PCMU', a.localPort));
    await new Promise((r) => setTimeout(r, 1200));
    expect(a.stats().rtcpReceived).toBeGreaterThan(1);
    expect(b.stats().rtcpReceived).toBeGreaterThan(1);
    const rtt = a.stats().rttMs;
    expect(rtt).not.toBeNull();
    expect(rtt!).toBeLessThan(50); // loopback
  });

  it('stops sending while on hold (sendonly peer, inactive) and resumes', async () => {
    const clock = new PacingClock();
    const a = await RtpSession.open({ id: 'a', clock });
    const b = await RtpSession.open({ id: 'b', clock });
    sessions.push(a, b);
    a.configure({ ...negotiation('PCMU', b.localPort), direction: 'inactive' });
    b.configure(negotiation('PCMU', a.localPort));
    await new Promise((r) => setTimeout(r, 300));
    expect(a.stats().packetsSent).toBe(0);
    expect(b.stats().packetsReceived).toBe(0);
    a.configure(negotiation('PCMU', b.localPort));
    await new Promise((r) => setTimeout(r, 300));
    expect(b.stats().packetsReceived).toBeGreaterThan(8);
  });

  it('refuses PCM frames of the wrong size with a reason', async () => {
    const clock = new PacingClock();
    const s = await RtpSession.open({ id: 'x', clock });
    sessions.push(s);
    expect(() => s.pushPcm(new Int16Array(160))).toThrow(/160 samples, expected 320/);
  });
});

describe('RtpSession in-band DTMF', () => {
  /**
   * A plays `script` (one entry per 20 ms: a keypad digit held as tones at -10 dBFS each, or silence) to B
   * over G.711 on loopback; `rfc4733` digits are also sent as events at the given times. B's digits are collected.
   */
  async function tones(codec: 'PCMU' | 'PCMA', telephoneEvent: boolean, script: Array<KeypadDigit | null>, rfc4733: Array<{ atMs: number; digit: string }> = []): Promise<{ digits: string[]; b: RtpSession }> {
    const clock = new PacingClock();
    const digits: string[] = [];
    const a = await RtpSession.open({ id: 'a', clock });
    const b = await RtpSession.open({ id: 'b', clock, onDtmf: (d) => digits.push(d.digit) });
    sessions.push(a, b);
    const te = telephoneEvent ? 101 : null;
    a.configure({ ...negotiation(codec, b.localPort), telephoneEventPt: te });
    b.configure({ ...negotiation(codec, a.localPort), telephoneEventPt: te });
    let i = 0;
    let gen: { digit: KeypadDigit; g: DualToneGenerator } | null = null;
    const stopFeed = clock.add(() => {
      const key = script[i++] ?? null;
      if (key && gen?.digit !== key) gen = { digit: key, g: new DualToneGenerator(...dtmfFrequencies(key), -10, 16000) };
      a.pushPcm(key ? gen!.g.next(PCM_FRAME_SAMPLES) : new Int16Array(PCM_FRAME_SAMPLES));
    });
    for (const e of rfc4733) setTimeout(() => a.sendDtmf(e.digit), e.atMs);
    await new Promise((r) => setTimeout(r, script.length * 20 + 700));
    stopFeed();
    return { digits, b };
  }

  /** `ms` of a key held, then `gapMs` of silence. */
  const press = (digit: KeypadDigit, ms = 100, gapMs = 100): Array<KeypadDigit | null> => [...Array<KeypadDigit>(ms / 20).fill(digit), ...Array<null>(gapMs / 20).fill(null)];

  it('reports tones from a PBX without telephone-event as digits, once per key press', async () => {
    const { digits, b } = await tones('PCMU', false, [...press('1'), ...press('5'), ...press('#', 200), ...press('9')]);
    expect(digits).toEqual(['1', '5', '#', '9']);
    expect(b.stats().dtmfReceived).toBe(4);
  });

  it('reports tones when telephone-event was negotiated but the PBX sends only tones', async () => {
    const { digits } = await tones('PCMA', true, [...press('4'), ...press('0')]);
    expect(digits).toEqual(['4', '0']);
  });

  it('reports a key press sent both as RFC 4733 and as tones once, from RFC 4733', async () => {
    // Each tone outlasts its event (A holds back audio while an event plays), so B gets both for each key.
    const script = [...Array<null>(10).fill(null), ...press('7', 400, 200), ...press('8', 400, 200)];
    const { digits, b } = await tones('PCMU', true, script, [{ atMs: 200, digit: '7' }, { atMs: 800, digit: '8' }]);
    expect(digits).toEqual(['7', '8']);
    expect(b.stats().dtmfReceived).toBe(2);
  });
});
