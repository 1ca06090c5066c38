/**
 * Runs spandsp (Debian `libspandsp-dev`, the codec library of Asterisk, FreeSWITCH and baresip) as the
 * reference for the differential codec tests and the codec bench.
 *
 * The harness C file is compiled on first use into a cache directory keyed by its content, so editing
 * it rebuilds it and parallel test files share one binary. A missing spandsp is an error, not a skip:
 * CI installs it, and a silently skipped bit-exactness test would let a codec regression through.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'spandsp-harness.c');

export type G722Rate = 64000 | 56000 | 48000;

let built: string | undefined;

function fail(what: string, detail: string): never {
  throw new Error(
    `spandsp reference harness: ${what}: ${detail.trim() || 'no output'}\n` +
      'The codec tests compare against spandsp; install it with `apt-get install libspandsp-dev pkg-config gcc`.',
  );
}

/** Path of the compiled harness, building it if needed. */
export function harnessPath(): string {
  if (built) return built;
  const source = readFileSync(SOURCE);
  const key = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `sip2wa-spandsp-harness-${key}`);
  const binary = join(dir, 'spandsp-harness');
  if (!existsSync(binary)) {
    const flags = spawnSync('pkg-config', ['--cflags', '--libs', 'spandsp'], { encoding: 'utf8' });
    if (flags.error) fail('pkg-config not runnable', flags.error.message);
    if (flags.status !== 0) fail('pkg-config does not know spandsp', flags.stderr);
    mkdirSync(dir, { recursive: true });
    // Compile to a private name and rename, so a concurrent test file never runs a half-written binary.
    const partial = `${binary}.${process.pid}`;
    const args = ['-O2', '-o', partial, SOURCE, ...flags.stdout.trim().split(/\s+/).filter(Boolean), '-lm'];
    const cc = spawnSync('cc', args, { encoding: 'utf8' });
    if (cc.error) fail('C compiler `cc` not runnable', cc.error.message);
    if (cc.status !== 0) fail('compiling spandsp-harness.c failed', cc.stderr);
    renameSync(partial, binary);
  }
  built = binary;
  return binary;
}

function run(header: string, data: Uint8Array): Buffer {
  const input = Buffer.concat([Buffer.from(`${header}\n`), data]);
  const result = spawnSync(harnessPath(), [], { input, maxBuffer: 1 << 28 });
  if (result.error) fail(`running '${header}'`, result.error.message);
  if (result.status !== 0) fail(`'${header}' exited with ${result.status}`, result.stderr.toString());
  return result.stdout;
}

function bytesOf(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

function samplesOf(out: Buffer): Int16Array {
  // Copy: a Buffer from the pool may sit at an odd offset that an Int16Array cannot view.
  const pcm = new Int16Array(out.length >> 1);
  bytesOf(pcm).set(out.subarray(0, pcm.length * 2));
  return pcm;
}

/** spandsp's g722_encode, options 0: one code per byte (at 56/48 kbit/s, right-aligned in the byte). */
export function spandspG722Encode(pcm: Int16Array, rate: G722Rate): Uint8Array {
  return new Uint8Array(run(`g722-encode ${rate}`, bytesOf(pcm)));
}

export function spandspG722Decode(codes: Uint8Array, rate: G722Rate): Int16Array {
  return samplesOf(run(`g722-decode ${rate}`, codes));
}

export function spandspG711Encode(law: 'alaw' | 'ulaw', pcm: Int16Array): Uint8Array {
  return new Uint8Array(run(`${law}-encode`, bytesOf(pcm)));
}

export function spandspG711Decode(law: 'alaw' | 'ulaw', codes: Uint8Array): Int16Array {
  return samplesOf(run(`${law}-decode`, codes));
}

/** Nanoseconds spandsp takes to encode then decode `seconds` of 16 kHz audio at 64 kbit/s. */
export function spandspG722TimeNs(seconds: number): number {
  const out = run(`g722-time ${seconds}`, new Uint8Array(0)).toString().trim();
  const ns = Number(out.split(' ')[0]);
  if (!(ns > 0)) fail('g722-time printed no elapsed time', out);
  return ns;
}
