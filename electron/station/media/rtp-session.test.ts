import { afterEach, describe, expect, it } from 'vitest';
import type { CodecName } from '../../../native-audio/codecs/index';
import { toneDbfs, zeroCrossingFrequency } from '../../../native-audio/pcm';
import { dtmfFrequencies, type DtmfDigit as KeypadDigit } from '../../../native-audio/dtmf-detector';
import { DualToneGenerator, ToneGenerator, toPcm16 } from '../../../native-audio/tone';
import { setLogLevel } from '../util/log';
import { PacingClock } from '../../../native-audio/pacing-clock';
import { ManualTimeSource } from '../../../native-audio/time-source';
import { waitFor } from '../../../test/support/wait';
import { PCM_FRAME_SAMPLES, RtpSession, type RtpSessionOptions } from './rtp-session';
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

/** One-way delay of the stepped network: packets sent at a tick arrive this long after it. */
const NETWORK_MS = 10;

/**
 * Sessions on real UDP loopback sockets, ticked by a manual clock: each step runs one 20 ms tick, moves
 * the clock on by the network delay and waits until every RTP packet sent at that tick has reached the
 * session it was addressed to (received or rejected). So every run sees the same network, a perfect one
 * NETWORK_MS long, however busy the machine is.
 */
class SteppedLoopback {
  readonly time = new ManualTimeSource();
  readonly clock = new PacingClock({ time: this.time });
  private readonly members: RtpSession[] = [];
  private readonly expected = new Map<RtpSession, number>();
  private started = false;

  async open(opts: Omit<RtpSessionOptions, 'clock'>): Promise<RtpSession> {
    const s = await RtpSession.open({ ...opts, clock: this.clock });
    sessions.push(s);
    this.members.push(s);
    this.expected.set(s, 0);
    return s;
  }

  /** Runs `ticks` ticks; `atTick(n)` (n from 1) runs just before tick n, as a timer due then would. */
  async step(ticks: number, atTick?: (n: number) => void): Promise<void> {
    if (!this.started) this.time.advance(NETWORK_MS); // from here each step spans one tick
    this.started = true;
    for (let n = 1; n <= ticks; n++) {
      atTick?.(n);
      const before = this.members.map((s) => ({ s, sent: s.stats().packetsSent, to: s.stats().remote }));
      this.time.advance(20);
      for (const { s, sent, to } of before) {
        const peer = this.members.find((m) => to === `127.0.0.1:${m.localPort}`);
        if (peer) this.expected.set(peer, this.expected.get(peer)! + s.stats().packetsSent - sent);
      }
      await waitFor('the packets of one tick to arrive', () => this.members.every((m) => arrived(m) === this.expected.get(m)), 5_000, 1);
      // RTCP goes out after RTP in the same tick: let its datagrams be read too.
      await new Promise((r) => setImmediate(r));
    }
  }
}

/** RTP packets that reached a session, whether it kept or dropped them. */
function arrived(s: RtpSession): number {
  const st = s.stats();
  return st.packetsReceived + Object.values(st.rejected).reduce((a, b) => a + b, 0);
}

interface Run {
  received: Int16Array[];
  digits: string[];
  a: RtpSession;
  b: RtpSession;
}

/** A sends a 1 kHz tone at -12 dBFS to B for `ticks` 20 ms ticks; B's PCM is collected. */
async function runTone(codec: CodecName, ticks: number, opts: { lossRate?: number; dtmf?: { atTick: number; digits: string } } = {}): Promise<Run> {
  const net = new SteppedLoopback();
  const received: Int16Array[] = [];
  const digits: string[] = [];
  const a = await net.open({ id: 'a', portRange: { min: 42000, max: 42999 } });
  const b = await net.open({
    id: 'b', portRange: { min: 43000, max: 43999 },
    onPcm: (f) => received.push(f), onDtmf: (d) => digits.push(d.digit),
    receiveLossRate: opts.lossRate, random: rng(1234),
  });
  a.configure(negotiation(codec, b.localPort));
  // B starts with a wrong remote port: symmetric RTP must latch onto where A's packets come from.
  b.configure(negotiation(codec, a.localPort + 500));
  const gen = new ToneGenerator(1000, -12, 16000);
  const stopFeed = net.clock.add(() => a.pushPcm(toPcm16(gen.next(PCM_FRAME_SAMPLES))));
  await net.step(ticks, (n) => {
    if (n === opts.dtmf?.atTick) a.sendDtmf(opts.dtmf.digits);
  });
  stopFeed();
  return { received, digits, a, b };
}

function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.length * PCM_FRAME_SAMPLES);
  frames.forEach((f, i) => out.set(f, i * PCM_FRAME_SAMPLES));
  return out;
}

describe('RtpSession on loopback', () => {
  it.each<CodecName>(['G722', 'PCMU'])('carries a 1 kHz tone through %s at the right frequency and level', async (codec) => {
    const { received, a, b } = await runTone(codec, 80);
    // One 640-byte frame per 20 ms tick, from configure on.
    expect(received.length).toBe(80);
    expect(received.every((f) => f.length === PCM_FRAME_SAMPLES && f.byteLength === 640)).toBe(true);
    const tail = concat(received.slice(-40)); // the last 800 ms, well past jitter buffer start-up
    const freq = zeroCrossingFrequency(tail, 16000);
    const level = toneDbfs(tail, 1000, 16000);
    console.log(`${codec}: ${freq.toFixed(2)} Hz, ${level.toFixed(2)} dBFS, stats ${JSON.stringify(b.stats())}`);
    expect(Math.abs(freq - 1000)).toBeLessThan(10);
    expect(Math.abs(level + 12)).toBeLessThan(1);
    const sa = a.stats();
    const sb = b.stats();
    expect(sb.packetsReceived).toBe(80);
    expect(sb.lost).toBe(0);
    expect(sb.codec).toBe(codec);
    expect(sb.remote).toBe(`127.0.0.1:${a.localPort}`); // latched
    // A receives B's (silent) stream from B's second packet on: the first went to the SDP's wrong port.
    expect(sa.packetsReceived).toBe(79);
    expect(sb.levelInDbfs).toBeGreaterThan(-13.5);
    expect(sa.levelOutDbfs).toBeGreaterThan(-13.5);
    expect(b.describe()).toMatch(new RegExp(`rtp ${codec}/${PT[codec]}`));
  });

  it.each<CodecName>(['G722', 'PCMU'])('conceals 5 percent random loss through %s: output stays continuous and the tone measurable', async (codec) => {
    const { received, b } = await runTone(codec, 125, { lossRate: 0.05 });
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
    const { digits, a, b } = await runTone('PCMU', 75, { dtmf: { atTick: 15, digits: '5#9' } });
    expect(digits.join('')).toBe('5#9');
    expect(a.stats().dtmfSent).toBe(3);
    expect(b.stats().dtmfReceived).toBe(3);
  });

  it('exchanges RTCP reports (SR + SDES) and measures the round-trip time', async () => {
    const net = new SteppedLoopback();
    const a = await net.open({ id: 'a', rtcpIntervalMs: 200 });
    const b = await net.open({ id: 'b', rtcpIntervalMs: 200 });
    a.configure(negotiation('PCMU', b.localPort));
    b.configure(negotiation('PCMU', a.localPort));
    // Reports every 100-300 ms after the first at 100 ms: at least three each in 1.2 s.
    await net.step(60);
    expect(a.stats().rtcpReceived).toBeGreaterThanOrEqual(3);
    expect(b.stats().rtcpReceived).toBeGreaterThanOrEqual(3);
    // Our SR out and the peer's report back each took the network's delay; the time it held our SR is
    // taken off (DLSR), so the round trip is twice the one-way delay.
    expect(a.stats().rttMs).toBeCloseTo(2 * NETWORK_MS, 0);
    expect(b.stats().rttMs).toBeCloseTo(2 * NETWORK_MS, 0);
  });

  it('stops sending while on hold (sendonly peer, inactive) and resumes', async () => {
    const net = new SteppedLoopback();
    const a = await net.open({ id: 'a' });
    const b = await net.open({ id: 'b' });
    a.configure({ ...negotiation('PCMU', b.localPort), direction: 'inactive' });
    b.configure(negotiation('PCMU', a.localPort));
    await net.step(15);
    expect(a.stats().packetsSent).toBe(0);
    expect(b.stats().packetsReceived).toBe(0);
    expect(a.stats().packetsReceived).toBe(15); // B still sends: A only holds its own side
    a.configure(negotiation('PCMU', b.localPort));
    await net.step(15);
    expect(b.stats().packetsReceived).toBe(15);
  });

  it('refuses PCM frames of the wrong size with a reason', async () => {
    const s = await new SteppedLoopback().open({ id: 'x' });
    expect(() => s.pushPcm(new Int16Array(160))).toThrow(/160 samples, expected 320/);
  });
});

describe('RtpSession in-band DTMF', () => {
  /**
   * A plays `script` (one entry per 20 ms: a keypad digit held as tones at -10 dBFS each, or silence) to B
   * over G.711 on loopback; `rfc4733` digits are also sent as events at the given times. B's digits are collected.
   */
  async function tones(codec: 'PCMU' | 'PCMA', telephoneEvent: boolean, script: Array<KeypadDigit | null>, rfc4733: Array<{ atMs: number; digit: string }> = []): Promise<{ digits: string[]; b: RtpSession }> {
    const net = new SteppedLoopback();
    const digits: string[] = [];
    const a = await net.open({ id: 'a' });
    const b = await net.open({ id: 'b', onDtmf: (d) => digits.push(d.digit) });
    const te = telephoneEvent ? 101 : null;
    a.configure({ ...negotiation(codec, b.localPort), telephoneEventPt: te });
    b.configure({ ...negotiation(codec, a.localPort), telephoneEventPt: te });
    let i = 0;
    let gen: { digit: KeypadDigit; g: DualToneGenerator } | null = null;
    const stopFeed = net.clock.add(() => {
      const key = script[i++] ?? null;
      if (key && gen?.digit !== key) gen = { digit: key, g: new DualToneGenerator(...dtmfFrequencies(key), -10, 16000) };
      a.pushPcm(key ? gen!.g.next(PCM_FRAME_SAMPLES) : new Int16Array(PCM_FRAME_SAMPLES));
    });
    await net.step(script.length + 35, (n) => {
      for (const e of rfc4733) if (e.atMs / 20 === n) a.sendDtmf(e.digit);
    });
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
