/**
 * A small RIFF/WAVE reader and writer, for the station's prompts, the simulator's 'wav' contacts and the
 * tests' fixtures. `readMonoWav` accepts exactly one format (mono, signed 16-bit PCM at the rate asked
 * for, the agent's 16 kHz for the simulator) and says which property of the file is wrong otherwise, so
 * a scenario author does not have to guess why a prompt will not play.
 */
import { readFileSync } from 'node:fs';

/** The rate of the phone agent's audio and of the station's prompts; `buildWav` writes it unless told otherwise. */
const DEFAULT_RATE = 16_000;

export interface WavAudio {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** The sample bytes of the data chunk, little-endian. */
  pcm: Buffer;
}

const WAVE_FORMAT_PCM = 1;

/** Parses a WAV file's bytes; `source` names the file in errors. */
export function parseWav(bytes: Buffer, source: string): WavAudio {
  const fail = (why: string) => new Error(`WAV file ${source}: ${why}`);
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    throw fail('not a RIFF/WAVE file');
  }
  let fmt: Omit<WavAudio, 'pcm'> | null = null;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (body + size > bytes.length && id !== 'data') throw fail(`chunk '${id}' runs past the end of the file`);
    if (id === 'fmt ') {
      if (size < 16) throw fail(`fmt chunk has ${size} bytes, expected at least 16`);
      const format = bytes.readUInt16LE(body);
      if (format !== WAVE_FORMAT_PCM) throw fail(`format code ${format} is not integer PCM (1)`);
      fmt = {
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw fail('data chunk comes before the fmt chunk');
      // Some writers leave the data size at 0 or too large when streaming; take what the file holds.
      const end = Math.min(body + size, bytes.length);
      return { ...fmt, pcm: bytes.subarray(body, end - ((end - body) % 2)) };
    }
    offset = body + size + (size % 2); // chunks are padded to even sizes
  }
  throw fail('no data chunk');
}

/** Reads a WAV file and checks it is mono 16-bit PCM at `sampleRate`; returns the sample bytes. */
export function readMonoWav(path: string, sampleRate: number): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`WAV file ${path}: cannot be read (${(err as Error).message})`);
  }
  const wav = parseWav(bytes, path);
  const want = `${sampleRate} Hz mono 16-bit`;
  if (wav.sampleRate !== sampleRate || wav.channels !== 1 || wav.bitsPerSample !== 16) {
    throw new Error(
      `WAV file ${path}: is ${wav.sampleRate} Hz, ${wav.channels} channel(s), ${wav.bitsPerSample}-bit; expected ${want}`,
    );
  }
  if (wav.pcm.length === 0) throw new Error(`WAV file ${path}: has no samples`);
  return wav.pcm;
}

/** Builds a WAV file (tests and fixtures use it). */
export function buildWav(pcm: Buffer, sampleRate = DEFAULT_RATE, channels = 1): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
