/**
 * A real PulseAudio sound server for tests, as a private user daemon: two null sinks stand in for the
 * operator's headset. What a test plays into `headset_mic` is what the default source (its monitor)
 * records, so an application reading the default microphone hears it; what an application plays to
 * the default sink `headset_speaker` is recorded from that sink's monitor. The sinks are paced by
 * PulseAudio's clock, like a sound card.
 *
 * Programs reach it through PULSE_SERVER; ALSA programs (PortAudio, naudiodon) through the
 * libasound2-plugins 'pulse' plugin, whose 'default' device follows PULSE_SERVER.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait';

export const MIC_SINK = 'headset_mic';
export const SPEAKER_SINK = 'headset_speaker';
const RATE = 16_000;

/** Tools the harness needs (Debian: pulseaudio, pulseaudio-utils, libasound2-plugins). */
export function missingPulseTools(): string[] {
  return ['pulseaudio', 'pactl', 'pacat', 'parec'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
}

/** A recording in progress: its length so far in samples (16 kHz), what it holds so far, and, when stopped, its PCM. */
export interface Recording {
  samples(): number;
  /** The PCM recorded so far (a copy; the recording goes on). */
  pcm(): Int16Array;
  stop(): Promise<Int16Array>;
}

function toPcm(chunks: Buffer[]): Int16Array {
  const all = Buffer.concat(chunks);
  const pcm = new Int16Array(all.length >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = all.readInt16LE(i * 2);
  return pcm;
}

/** Waits until `recording` holds `samples` samples. */
export async function untilRecorded(recording: Recording, samples: number, timeoutMs = 15_000): Promise<void> {
  await waitFor(`${samples} samples (${(samples / RATE).toFixed(2)} s) recorded`, () => recording.samples() >= samples, timeoutMs, 10);
}

export class PulseAudio {
  readonly dir = mkdtempSync(join(tmpdir(), 'sip2wa-pulse-'));
  readonly socket = join(this.dir, 'native');
  private daemon: ChildProcess | null = null;
  private players = new Set<ChildProcess>();
  private log = '';

  /** PULSE_SERVER for clients of this daemon. */
  get server(): string {
    return `unix:${this.socket}`;
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, PULSE_SERVER: this.server, XDG_RUNTIME_DIR: this.dir, HOME: this.dir };
  }

  static async start(): Promise<PulseAudio> {
    const missing = missingPulseTools();
    if (missing.length) throw new Error(`PulseAudio test harness: ${missing.join(', ')} not installed (apt-get install pulseaudio pulseaudio-utils libasound2-plugins)`);
    const pulse = new PulseAudio();
    await pulse.launch();
    return pulse;
  }

  private async launch(): Promise<void> {
    const script = join(this.dir, 'default.pa');
    writeFileSync(
      script,
      [
        `load-module module-native-protocol-unix auth-anonymous=1 socket=${this.socket}`,
        `load-module module-null-sink sink_name=${MIC_SINK} rate=48000`,
        `load-module module-null-sink sink_name=${SPEAKER_SINK} rate=48000`,
        `set-default-sink ${SPEAKER_SINK}`,
        `set-default-source ${MIC_SINK}.monitor`,
        '',
      ].join('\n'),
    );
    // It warns when run as root and finds no D-Bus: harmless for a private daemon.
    this.daemon = spawn('pulseaudio', ['--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no', '--system=no', '-n', '-F', script, '--log-target=stderr'], {
      env: this.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.daemon.stderr!.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-4000)));
    const exited = new Promise<never>((_, reject) => this.daemon!.once('exit', (code) => reject(new Error(`pulseaudio exited with code ${code}: ${this.log}`))));
    await Promise.race([waitFor('pulseaudio answering', () => spawnSync('pactl', ['info'], { env: this.env }).status === 0, 10_000), exited]);
  }

  /** Points this process's sound clients (naudiodon, loaded after this) at the daemon. */
  useInThisProcess(): void {
    process.env.PULSE_SERVER = this.server;
  }

  /** Plays 16 kHz mono PCM into the headset microphone; resolves when it has been played. */
  play(pcm: Int16Array): { done: Promise<void>; stop(): void } {
    const player = spawn('pacat', ['--playback', `--device=${MIC_SINK}`, `--rate=${RATE}`, '--channels=1', '--format=s16le', '--raw', '--latency-msec=20'], {
      env: this.env,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.players.add(player);
    const done = new Promise<void>((resolve) => player.once('exit', () => (this.players.delete(player), resolve())));
    player.stdin!.on('error', () => undefined);
    player.stdin!.end(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    return { done, stop: () => player.kill('SIGTERM') };
  }

  /**
   * Records the headset speaker (what applications play) as 16 kHz mono PCM until stop(); `sink`
   * MIC_SINK records what is played into the microphone instead (a reference for latency). A fresh
   * recording of a monitor can begin with audio played shortly before it started: to see when a sound
   * stops, record across the moment rather than in slices after it.
   */
  record(sink: string = SPEAKER_SINK): Recording {
    const rec = spawn('parec', [`--device=${sink}.monitor`, `--rate=${RATE}`, '--channels=1', '--format=s16le', '--raw', '--latency-msec=20'], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    rec.stdout!.on('data', (d: Buffer) => {
      chunks.push(d);
      bytes += d.length;
    });
    const exited = new Promise<void>((resolve) => rec.once('exit', () => resolve()));
    return {
      samples: () => bytes >> 1,
      pcm: () => toPcm(chunks),
      stop: async () => {
        rec.kill('SIGTERM');
        await exited;
        return toPcm(chunks);
      },
    };
  }

  /**
   * Records the speaker until it holds `seconds` of audio on the sound server's clock. A recorder that
   * a loaded machine starts late still returns that much audio, not whatever a timer let it catch.
   */
  async recordSeconds(seconds: number, timeoutMs = 15_000): Promise<Int16Array> {
    const r = this.record();
    const samples = Math.round(seconds * RATE);
    await untilRecorded(r, samples, timeoutMs);
    return (await r.stop()).subarray(0, samples);
  }

  /** The playback and capture streams process `pid` has open on the daemon (what a leak would leave). */
  streamsOf(pid: number): { playback: number; capture: number } {
    const count = (kind: 'sink-inputs' | 'source-outputs'): number => {
      const out = spawnSync('pactl', ['list', kind], { env: this.env, encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`pactl list ${kind} failed: ${out.stderr}`);
      return out.stdout.split(/\n(?=\S)/).filter((block) => block.includes(`application.process.id = "${pid}"`)).length;
    };
    return { playback: count('sink-inputs'), capture: count('source-outputs') };
  }

  async stop(): Promise<void> {
    for (const p of this.players) p.kill('SIGTERM');
    const d = this.daemon;
    if (d && d.exitCode === null) {
      const exited = new Promise((resolve) => d.once('exit', resolve));
      d.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
