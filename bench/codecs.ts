/**
 * Codec bench: how fast the station's pure TypeScript media path runs, against spandsp (C) measured
 * in the same run on the same machine, and what full-duplex transcoding costs per line.
 *
 * Per line and 20 ms tick, "full duplex" is what a call does: the SIP side's RTP payload is decoded
 * (and for G.711 upsampled 8 -> 16 kHz) for the phone, and the phone's 16 kHz frame is (for G.711
 * downsampled and) encoded for RTP. All lines run on this one thread, as in the station.
 */
import { CODECS, type AudioCodec } from '../native-audio/codecs/index';
import { G722Decoder } from '../native-audio/codecs/g722-decoder';
import { G722Encoder } from '../native-audio/codecs/g722-encoder';
import { Downsampler2x, Upsampler2x } from '../native-audio/resampler';
import { spandspG722TimeNs } from '../native-audio/test/spandsp';
import { sweep } from '../native-audio/tone';

const TICK_MS = 20;
const LINE_COUNTS = [16, 32, 64, 128];

function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/**
 * Runs `work` three times to let the JIT optimise it, then times the best of three runs (the least
 * disturbed by GC and other processes); returns x real time for `audioSeconds` of audio.
 */
function realTime(audioSeconds: number, work: () => void): number {
  for (let i = 0; i < 3; i++) work();
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = nowNs();
    work();
    best = Math.min(best, nowNs() - start);
  }
  return audioSeconds / (best / 1e9);
}

function g722RealTime(seconds: number): number {
  const pcm = sweep(100, 7100, -6, 16000, seconds * 16000);
  return realTime(seconds, () => {
    const enc = new G722Encoder();
    const dec = new G722Decoder();
    for (let i = 0; i < pcm.length; i += 320) dec.decode(enc.encode(pcm.subarray(i, i + 320)));
  });
}

function g711RealTime(codec: AudioCodec, seconds: number): number {
  const pcm = sweep(100, 3400, -6, 8000, seconds * 8000);
  return realTime(seconds, () => {
    const enc = codec.createEncoder();
    const dec = codec.createDecoder();
    for (let i = 0; i < pcm.length; i += 160) dec.decode(enc.encode(pcm.subarray(i, i + 160)));
  });
}

/** Up then down, as a G.711 call's two directions: x real time of the 8 kHz side. */
function resamplerRealTime(seconds: number): number {
  const narrow = sweep(100, 3400, -6, 8000, seconds * 8000);
  const wide = sweep(100, 7000, -6, 16000, seconds * 16000);
  return realTime(seconds, () => {
    const up = new Upsampler2x();
    const down = new Downsampler2x();
    for (let i = 0; i < narrow.length; i += 160) {
      up.process(narrow.subarray(i, i + 160));
      down.process(wide.subarray(2 * i, 2 * i + 320));
    }
  });
}

interface Line {
  tick(): void;
}

function line(codec: AudioCodec): Line {
  const enc = codec.createEncoder();
  const dec = codec.createDecoder();
  const narrowband = codec.sampleRate === 8000;
  const up = new Upsampler2x();
  const down = new Downsampler2x();
  // One 20 ms frame each way, cycled: the cost does not depend on which audio it is.
  const phone = sweep(300, 3000, -10, 16000, 320);
  const payload = codec.createEncoder().encode(narrowband ? new Downsampler2x().process(phone) : phone);
  return {
    tick() {
      const toPhone = dec.decode(payload);
      if (narrowband) up.process(toPhone);
      enc.encode(narrowband ? down.process(phone) : phone);
    },
  };
}

/** Percent of one core that `count` lines of `codec` take to keep up with real time. */
function duplexCorePercent(codec: AudioCodec, count: number, ticks: number): number {
  const lines = Array.from({ length: count }, () => line(codec));
  // Warm up so the JIT has optimised the per-line code before the clock starts; best of three runs.
  for (let t = 0; t < 2000; t += count) for (const l of lines) l.tick();
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = nowNs();
    for (let t = 0; t < ticks; t++) for (const l of lines) l.tick();
    best = Math.min(best, nowNs() - start);
  }
  return (100 * best) / 1e6 / (ticks * TICK_MS);
}

function fmt(x: number, digits = 0): string {
  return x.toFixed(digits);
}

export async function runCodecBench(): Promise<string> {
  const seconds = 10;
  const out: string[] = [];
  const ts = g722RealTime(seconds);
  // Best of three, as for our side.
  const c = seconds / (Math.min(...[0, 1, 2].map(() => spandspG722TimeNs(seconds))) / 1e9);
  out.push(`Codecs: encode + decode ${seconds} s of audio in 20 ms frames, one core`);
  out.push(`  G.722 TypeScript        ${fmt(ts).padStart(7)} x real time`);
  out.push(`  G.722 spandsp (C)       ${fmt(c).padStart(7)} x real time`);
  out.push(`  TypeScript / spandsp    ${fmt(ts / c, 2).padStart(7)}   (target >= 0.5)`);
  out.push(`  PCMU                    ${fmt(g711RealTime(CODECS.PCMU, seconds)).padStart(7)} x real time`);
  out.push(`  PCMA                    ${fmt(g711RealTime(CODECS.PCMA, seconds)).padStart(7)} x real time`);
  out.push(`  resampler 8->16 + 16->8 ${fmt(resamplerRealTime(seconds)).padStart(7)} x real time`);
  out.push('');
  out.push('Full-duplex transcoding per 20 ms tick (decode [+ 8->16] and [16->8 +] encode per line), % of one core');
  out.push('  codec   ' + LINE_COUNTS.map((n) => `${n} lines`.padStart(10)).join('') + '   per line at 16 / 128   linear');
  const ticks = 100;
  let g722At64 = NaN;
  for (const codec of [CODECS.G722, CODECS.PCMU]) {
    const pct = LINE_COUNTS.map((n) => duplexCorePercent(codec, n, ticks));
    if (codec.name === 'G722') g722At64 = pct[LINE_COUNTS.indexOf(64)]!;
    const perFirst = pct[0]! / LINE_COUNTS[0]!;
    const perLast = pct[pct.length - 1]! / LINE_COUNTS[LINE_COUNTS.length - 1]!;
    // Linear if the per-line cost at the most lines is within 25 % of that at the fewest.
    const linear = Math.abs(perLast / perFirst - 1) <= 0.25;
    out.push(
      `  ${codec.name.padEnd(6)}  ` +
        pct.map((p) => `${fmt(p, 1)} %`.padStart(10)).join('') +
        `   ${fmt(perFirst, 3)} / ${fmt(perLast, 3)} %`.padStart(23) +
        `   ${linear ? 'yes' : 'no'}`,
    );
  }
  out.push(`  64 G.722 lines: ${fmt(g722At64, 1)} % of one core (target < 50 %)`);
  return out.join('\n');
}
