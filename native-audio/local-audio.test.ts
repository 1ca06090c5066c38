import { describe, expect, it } from 'vitest';
import { Headset, type DeviceCapture, type DevicePlayback } from './local-audio';
import { pickDevice } from './local-audio-devices';
import { Downsampler3x, Upsampler3x } from './local-audio-resample';
import { concatPcm, dominantFrequency, toneDbfs } from './pcm';
import { tone } from './tone';

/** A synthetic microphone: the test pushes device-rate PCM in chunks of any size. */
class FakeCapture implements DeviceCapture {
  private listener: (chunk: Buffer) => void = () => undefined;
  constructor(readonly rate: number, readonly name = 'fake mic') {}
  start(): void {}
  async close(): Promise<void> {}
  onError(): void {}
  onData(listener: (chunk: Buffer) => void): void {
    this.listener = listener;
  }
  push(pcm: Int16Array): void {
    this.listener(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  }
}

/** A synthetic speaker: keeps what was written; the test completes writes as the device would play them. */
class FakePlayback implements DevicePlayback {
  readonly written: Int16Array[] = [];
  private waiting: Array<() => void> = [];
  constructor(readonly rate: number, readonly name = 'fake speaker') {}
  start(): void {}
  async close(): Promise<void> {}
  onError(): void {}
  write(chunk: Buffer, done: (err?: Error | null) => void): void {
    this.written.push(new Int16Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length)));
    this.waiting.push(() => done(null));
  }
  /** The device played `n` of the frames it holds. */
  played(n = 1): void {
    for (let i = 0; i < n; i++) this.waiting.shift()?.();
  }
}


describe('16 <-> 48 kHz for headsets that only run at 48 kHz', () => {
  it('keeps a 1 kHz tone and its level both ways', () => {
    const up = new Upsampler3x();
    const src = tone(1000, -12, 16_000, 16_000);
    const high = concatPcm(Array.from({ length: 50 }, (_, i) => up.process(src.subarray(i * 320, (i + 1) * 320))));
    expect(high.length).toBe(48_000);
    expect(dominantFrequency(high.subarray(4800), 48_000, 200, 8000)).toBeCloseTo(1000, -1);
    expect(toneDbfs(high.subarray(4800), 1000, 48_000)).toBeCloseTo(-12, 0);
    const down = new Downsampler3x();
    const back = concatPcm(Array.from({ length: 50 }, (_, i) => down.process(high.subarray(i * 960, (i + 1) * 960))));
    expect(back.length).toBe(16_000);
    expect(toneDbfs(back.subarray(1600), 1000, 16_000)).toBeCloseTo(-12, 0);
  });

  it('removes what 16 kHz cannot carry instead of folding it back (10 kHz would alias to 6 kHz)', () => {
    const down = new Downsampler3x();
    // Chunks that are not whole frames: the phase carries over.
    const high = tone(10_000, -6, 48_000, 48_000);
    const out = concatPcm([down.process(high.subarray(0, 1001)), down.process(high.subarray(1001, 30_000)), down.process(high.subarray(30_000))]);
    expect(out.length).toBe(16_000);
    expect(toneDbfs(out.subarray(1600), 6000, 16_000)).toBeLessThan(-66);
  });
});

describe('headset', () => {
  it('turns device chunks at 48 kHz into 20 ms frames at 16 kHz, and mute into true silence', () => {
    const mic = new FakeCapture(48_000);
    const headset = new Headset(mic, new FakePlayback(16_000));
    const frames: Int16Array[] = [];
    headset.onMic((f) => frames.push(f.slice()));
    const signal = tone(1000, -12, 48_000, 48_000);
    // Odd chunk sizes, as a sound server may deliver.
    for (let at = 0; at < signal.length; at += 700) mic.push(signal.subarray(at, Math.min(signal.length, at + 700)));
    expect(frames).toHaveLength(50);
    expect(frames.every((f) => f.length === 320)).toBe(true);
    expect(toneDbfs(concatPcm(frames.slice(5)), 1000, 16_000)).toBeCloseTo(-12, 0);
    expect(headset.takeLevels().micDbfs).toBeCloseTo(-12, 0);
    expect(headset.takeLevels()).toEqual({ micDbfs: null, speakerDbfs: null });

    headset.muted = true;
    mic.push(signal.subarray(0, 960 * 5));
    expect(frames.slice(50).every((f) => f.every((s) => s === 0))).toBe(true);
    expect(headset.takeLevels().micDbfs).toBe(-120);
  });

  it('plays what comes, silence when nothing does, and drops the oldest frames beyond the latency budget', () => {
    const speaker = new FakePlayback(16_000);
    const headset = new Headset(new FakeCapture(16_000), speaker, { budgetFrames: 3, inFlightFrames: 2 });
    headset.start();
    // Two silent frames prime the device.
    expect(speaker.written).toHaveLength(2);
    expect(speaker.written.every((f) => f.every((s) => s === 0))).toBe(true);
    const frame = (v: number) => new Int16Array(320).fill(v);
    // A burst of 6 frames while the device is busy: only the newest 3 fit the budget.
    for (let v = 1; v <= 6; v++) headset.play(frame(v));
    expect(headset.counts.dropped).toBe(3);
    speaker.played(5);
    expect(speaker.written.slice(2).map((f) => f[0])).toEqual([4, 5, 6, 0, 0]);
    expect(headset.counts.underruns).toBe(2);
    expect(headset.takeLevels().speakerDbfs).toBeGreaterThan(-80);
  });

  it('drains a queue that stayed deeper than its target for a second, one frame at a time', () => {
    const speaker = new FakePlayback(16_000);
    const headset = new Headset(new FakeCapture(16_000), speaker, { budgetFrames: 6, targetFrames: 1, inFlightFrames: 1 });
    headset.start();
    // A burst left 4 frames queued; from then on one frame comes per frame played.
    for (let i = 0; i < 4; i++) headset.play(new Int16Array(320).fill(1));
    for (let i = 0; i < 400; i++) {
      headset.play(new Int16Array(320).fill(1));
      speaker.played();
    }
    // Eight seconds of playout: one frame a second until only the frame just queued waits, then no more;
    // never a gap of silence.
    expect(headset.counts).toMatchObject({ dropped: 0, drained: 4, underruns: 0 });
  });

  it('resamples the speaker to a 48 kHz device', () => {
    const speaker = new FakePlayback(48_000);
    const headset = new Headset(new FakeCapture(16_000), speaker, { inFlightFrames: 1 });
    headset.start();
    const t = tone(1000, -12, 16_000, 16_000);
    for (let i = 0; i < 50; i++) {
      headset.play(t.slice(i * 320, (i + 1) * 320));
      speaker.played();
    }
    const out = concatPcm(speaker.written.slice(10));
    expect(speaker.written[1]!.length).toBe(960);
    expect(toneDbfs(out, 1000, 48_000)).toBeCloseTo(-12, 0);
  });
});

describe('headset device choice', () => {
  const devices = [
    { id: 0, name: 'pulse', hostApi: 'ALSA', inputs: 32, outputs: 32, defaultSampleRate: 44100 },
    { id: 1, name: 'USB Headset: Audio (hw:1,0)', hostApi: 'ALSA', inputs: 1, outputs: 2, defaultSampleRate: 48000 },
    { id: 2, name: 'HDA Intel: HDMI 0 (hw:0,3)', hostApi: 'ALSA', inputs: 0, outputs: 8, defaultSampleRate: 48000 },
  ];
  it('takes the system default without a name, an exact name, or the one device a part of the name fits', () => {
    expect(pickDevice(devices, undefined, 'input')).toEqual({ id: -1, name: 'default input' });
    expect(pickDevice(devices, 'pulse', 'output')).toEqual({ id: 0, name: 'pulse' });
    expect(pickDevice(devices, 'usb headset', 'input')).toEqual({ id: 1, name: 'USB Headset: Audio (hw:1,0)' });
  });
  it('says which device is missing and what there is', () => {
    expect(() => pickDevice(devices, 'HDMI', 'input')).toThrow('headset input "HDMI" is not connected (input devices: "pulse", "USB Headset: Audio (hw:1,0)")');
    expect(() => pickDevice(devices, 'hw:', 'output')).toThrow('headset output "hw:" matches several devices');
  });
});
