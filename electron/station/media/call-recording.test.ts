import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dominantFrequency, toneDbfs } from '../../../native-audio/pcm';
import { parseWav } from '../../../native-audio/wav';
import { CallRecording } from './call-recording';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'call-recording-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** 20 ms frames of a sine at `hz` and `amplitude` (0-1), continuing phase from frame to frame. */
function tone(hz: number, amplitude: number) {
  let n = 0;
  return (): Int16Array => {
    const f = new Int16Array(320);
    for (let i = 0; i < 320; i++, n++) f[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * n) / 16_000));
    return f;
  };
}

/** The two channels of a stereo recording. */
function channels(file: string): { left: Int16Array; right: Int16Array; rate: number; dataSize: number } {
  const bytes = readFileSync(file);
  const wav = parseWav(bytes, file);
  expect(wav.channels).toBe(2);
  expect(wav.bitsPerSample).toBe(16);
  const all = new Int16Array(wav.pcm.buffer.slice(wav.pcm.byteOffset, wav.pcm.byteOffset + wav.pcm.length));
  const left = new Int16Array(all.length / 2);
  const right = new Int16Array(all.length / 2);
  for (let i = 0; i < left.length; i++) {
    left[i] = all[2 * i]!;
    right[i] = all[2 * i + 1]!;
  }
  return { left, right, rate: wav.sampleRate, dataSize: bytes.readUInt32LE(40) };
}

describe('a call recording', () => {
  it('writes the PBX side on the left and the phone side on the right, as long as the call', async () => {
    let t = 1_000;
    const file = join(dir, 'call.wav');
    const rec = await CallRecording.open(file, { now: () => t });
    const pbx = tone(1000, 0.25);
    const phone = tone(700, 0.1);
    for (let i = 0; i < 150; i++, t += 20) {
      rec.pbx(pbx());
      rec.phone(phone());
    }
    const summary = await rec.close();
    expect(summary).toMatchObject({ file, durationMs: 3000, droppedFrames: 0, error: null, bytes: 44 + 3 * 64_000 });
    expect(statSync(file).size).toBe(summary.bytes);
    const { left, right, rate, dataSize } = channels(file);
    expect(rate).toBe(16_000);
    expect(dataSize).toBe(3 * 64_000);
    expect(dominantFrequency(left, 16_000)).toBeCloseTo(1000, -1);
    expect(dominantFrequency(right, 16_000)).toBeCloseTo(700, -1);
    expect(toneDbfs(left, 1000, 16_000)).toBeCloseTo(-12, 0);
    expect(toneDbfs(right, 700, 16_000)).toBeCloseTo(-20, 0);
    // Each side alone on its channel: no trace of the other.
    expect(toneDbfs(left, 700, 16_000)).toBeLessThan(-80);
    expect(toneDbfs(right, 1000, 16_000)).toBeLessThan(-80);
    // Closing again changes nothing and gives the same answer.
    await expect(rec.close()).resolves.toEqual(summary);
  });

  it('is a valid WAV up to its last batch while the call goes on (a crash leaves a playable file)', async () => {
    let t = 0;
    const file = join(dir, 'live.wav');
    const rec = await CallRecording.open(file, { now: () => t });
    const pbx = tone(1000, 0.25);
    for (let i = 0; i < 125; i++, t += 20) rec.pbx(pbx());
    await rec.written();
    // 2.5 s in: the first two seconds are on disk, and the header says exactly that much.
    const { left, dataSize } = channels(file);
    expect(dataSize).toBe(2 * 64_000);
    expect(statSync(file).size).toBe(44 + dataSize);
    expect(left.length).toBe(32_000);
    expect(dominantFrequency(left, 16_000)).toBeCloseTo(1000, -1);
    await rec.close();
  });

  it('keeps the sides in time when one stops sending: silence fills the gap', async () => {
    let t = 0;
    const file = join(dir, 'gap.wav');
    const rec = await CallRecording.open(file, { now: () => t });
    const pbx = tone(1000, 0.25);
    const phone = tone(700, 0.1);
    for (let i = 0; i < 200; i++, t += 20) {
      rec.pbx(pbx());
      // The phone goes quiet from 1 s to 2 s (its audio connection stalled).
      if (i < 50 || i >= 100) rec.phone(phone());
    }
    await rec.close();
    const { left, right } = channels(file);
    expect(left.length).toBe(4 * 16_000);
    const second = (pcm: Int16Array, s: number) => pcm.subarray(s * 16_000 + 800, (s + 1) * 16_000 - 800);
    expect(toneDbfs(second(right, 0), 700, 16_000)).toBeCloseTo(-20, 0);
    expect(Math.max(...second(right, 1).map(Math.abs))).toBe(0);
    // Back on time after the gap, not shifted by it.
    expect(toneDbfs(second(right, 2), 700, 16_000)).toBeCloseTo(-20, 0);
    expect(toneDbfs(second(right, 3), 700, 16_000)).toBeCloseTo(-20, 0);
    expect(toneDbfs(second(left, 1), 1000, 16_000)).toBeCloseTo(-12, 0);
  });

  it('takes a burst of late frames in order, and never overwrites a file', async () => {
    let t = 0;
    const file = join(dir, 'burst.wav');
    const rec = await CallRecording.open(file, { now: () => t });
    const phone = tone(700, 0.1);
    // The phone's frames arrive three at a time every 60 ms: each still lands in its own slot.
    for (let i = 0; i < 150; i += 3) {
      t += 60;
      for (let k = 0; k < 3; k++) rec.phone(phone());
    }
    const summary = await rec.close();
    expect(summary.droppedFrames).toBe(0);
    const { right } = channels(file);
    expect(right.length).toBe(150 * 320);
    expect(toneDbfs(right, 700, 16_000)).toBeCloseTo(-20, 0);
    await expect(CallRecording.open(file, { now: () => t })).rejects.toThrow(/EEXIST/);
  });
});
