/**
 * baresip as a PBX user's phone in interop tests: it registers on the test PBX, plays a WAV into calls
 * (aufile), records what it sends and hears (sndfile, one WAV per direction) and is driven over ctrl_tcp
 * (JSON netstrings). Received DTMF is read from its stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { buildWav } from '../../native-audio/wav';
import { freePort } from './ports';

export interface BaresipOptions {
  /** A fresh folder for its configuration and recordings. */
  dir: string;
  /** Registrar as host:port; omitted = no registration (direct calls only). */
  registrar?: string;
  user: string;
  password?: string;
  displayName?: string;
  transport?: 'udp' | 'tcp';
  /** 'auto' answers incoming calls at once. */
  answerMode?: 'manual' | 'auto';
  /** Codecs in order of preference: G722, PCMU, PCMA. */
  codecs?: string[];
  /** 16-bit mono WAV played into every call; silence when absent. */
  sourceWav?: string;
}

export interface BaresipEvent {
  type: string;
  class?: string;
  param?: string;
  peeruri?: string;
  [key: string]: unknown;
}

/** baresip names codecs by name/rate/channels; G.722 is 16000 here although its RTP clock is 8000. */
const BARESIP_CODECS: Record<string, string> = { G722: 'G722/16000/1', PCMU: 'PCMU/8000/1', PCMA: 'PCMA/8000/1' };

function netstring(text: string): string {
  return `${Buffer.byteLength(text)}:${text},`;
}

export class Baresip {
  private proc: ChildProcess | null = null;
  private ctrl: net.Socket | null = null;
  private buffer = '';
  readonly events: BaresipEvent[] = [];
  private waiters: Array<() => void> = [];
  stdout = '';
  sipPort = 0;
  readonly recordDir: string;

  constructor(private readonly opts: BaresipOptions) {
    this.recordDir = join(opts.dir, 'recordings');
  }

  get aor(): string {
    return `sip:${this.opts.user}@127.0.0.1:${this.sipPort}`;
  }

  /**
   * Starts baresip. Its SIP/TLS listener takes the port after `sip_listen`, and any free port can be
   * taken by another process before baresip binds it: a start that fails with "Address already in use"
   * (its SIP ports, or its ctrl_tcp port) is retried with other ports.
   */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce();
        return;
      } catch (err) {
        const inUse = /Address already in use/.test(this.stdout);
        if (!inUse || attempt >= 5) throw err;
        this.ctrl?.destroy();
        this.ctrl = null;
        if (this.proc?.exitCode === null) this.proc.kill('SIGKILL');
        this.stdout = '';
        this.proc = null;
      }
    }
  }

  private async startOnce(): Promise<void> {
    const { dir } = this.opts;
    mkdirSync(this.recordDir, { recursive: true });
    this.sipPort = await freePort();
    const ctrlPort = await freePort();
    const transport = this.opts.transport ?? 'udp';
    const codecs = (this.opts.codecs ?? ['G722', 'PCMU', 'PCMA']).map((c) => BARESIP_CODECS[c] ?? c).join(',');
    // aufile is the only source that runs at 16 kHz here (ausine wants 48 kHz): silence is a silent WAV.
    let wav = this.opts.sourceWav;
    if (!wav) {
      wav = join(dir, 'silence.wav');
      writeFileSync(wav, buildWav(Buffer.alloc(16_000 * 2 * 60)));
    }
    const source = `aufile,${wav}`;
    writeFileSync(
      join(dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${this.sipPort}`,
        'net_interface 127.0.0.1',
        `audio_source ${source}`,
        'audio_player aubridge,nil',
        'audio_alert aubridge,nil',
        'ausrc_srate 16000',
        'auplay_srate 16000',
        'audio_buffer 20',
        'jitter_buffer_delay 1-3',
        'rtp_ports 30000-39998',
        `snd_path ${this.recordDir}`,
        `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module g722.so',
        'module aufile.so',
        'module aubridge.so',
        'module sndfile.so',
        'module_app account.so',
        // menu provides the dial/hangup/sndcode commands that ctrl_tcp runs.
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        '',
      ].join('\n'),
    );
    const name = this.opts.displayName ? `"${this.opts.displayName}" ` : '';
    const host = this.opts.registrar ?? `127.0.0.1:${this.sipPort}`;
    const params = [
      `answermode=${this.opts.answerMode ?? 'manual'}`,
      `audio_codecs=${codecs}`,
      this.opts.password ? `auth_pass=${this.opts.password}` : '',
      this.opts.registrar ? 'regint=300' : 'regint=0',
      'ptime=20',
    ].filter(Boolean);
    writeFileSync(join(dir, 'accounts'), `${name}<sip:${this.opts.user}@${host};transport=${transport}>;${params.join(';')}\n`);
    writeFileSync(join(dir, 'contacts'), '');
    this.proc = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (b: Buffer) => {
      this.stdout += b.toString();
      this.wake();
    });
    this.proc.stderr!.on('data', (b: Buffer) => (this.stdout += b.toString()));
    await this.connectCtrl(ctrlPort);
    // A ctrl_tcp that could not listen leaves baresip running without it, and the connection just made
    // went to whoever holds the port (another test's baresip): its commands and events would not be this
    // phone's. ctrl_tcp says so before "baresip is ready".
    const deadline = Date.now() + 10_000;
    while (!/baresip is ready/.test(this.stdout)) {
      if (this.proc.exitCode !== null) throw new Error(`baresip exited: ${this.stdout.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`baresip did not get ready within 10 s: ${this.stdout.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    if (/ctrl_tcp: failed to listen/.test(this.stdout)) throw new Error(`baresip's ctrl_tcp could not listen on ${ctrlPort}: ${this.stdout.slice(-500)}`);
  }

  private async connectCtrl(port: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.proc?.exitCode !== null) throw new Error(`baresip exited: ${this.stdout.slice(-2000)}`);
      const socket = await new Promise<net.Socket | null>((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(null));
      });
      if (socket) {
        this.ctrl = socket;
        socket.on('data', (b: Buffer) => this.onCtrl(b.toString()));
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`baresip's ctrl_tcp did not listen: ${this.stdout.slice(-2000)}`);
  }

  private onCtrl(text: string): void {
    this.buffer += text;
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.buffer.slice(0, colon));
      if (this.buffer.length < colon + 1 + len + 1) return;
      const body = this.buffer.slice(colon + 1, colon + 1 + len);
      this.buffer = this.buffer.slice(colon + 1 + len + 1);
      try {
        const msg = JSON.parse(body) as BaresipEvent & { event?: boolean };
        if (msg.event) this.events.push(msg);
      } catch {
        // ctrl_tcp answers commands with JSON responses too; only events matter here.
      }
      this.wake();
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Waits until an event matching `match` has arrived (since `from`, an index into events). */
  async waitEvent(match: (e: BaresipEvent) => boolean, timeoutMs = 15_000, from = 0): Promise<BaresipEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`baresip: no matching event within ${timeoutMs} ms; events: ${this.events.map((e) => e.type).join(', ')}; its log: ${this.stdout.slice(-1500)}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /**
   * Waits for the registrar's 200. Its REGISTER_OK event may fire before ctrl_tcp is connected, so the
   * console line (`user@host: {0/UDP/v4} 200 OK`) counts too.
   */
  async waitRegistered(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/\} 200 OK/.test(this.stdout) && !this.events.some((e) => e.type === 'REGISTER_OK')) {
      if (Date.now() > deadline) throw new Error(`baresip did not register within ${timeoutMs} ms: ${this.stdout.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  command(command: string, params = ''): void {
    this.ctrl?.write(netstring(JSON.stringify({ command, params, token: String(Date.now()) })));
  }

  dial(uri: string): void {
    this.command('dial', uri);
  }

  hangup(): void {
    this.command('hangup');
  }

  /** Sends DTMF key presses, one every 250 ms (baresip sends a key per command). */
  async sendDtmf(digits: string): Promise<void> {
    for (const d of digits) {
      this.command('sndcode', d);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * Freezes baresip (SIGSTOP) or lets it go on (SIGCONT): a desk phone that vanished mid-call without a
   * BYE, as one whose network went away; its RTP stops at once.
   */
  freeze(frozen: boolean): void {
    this.proc?.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** The WAV files sndfile wrote: `dec` = what it heard, `enc` = what it sent. */
  recordings(): { heard: string[]; sent: string[] } {
    const files = readdirSync(this.recordDir).map((f) => join(this.recordDir, f));
    return { heard: files.filter((f) => /dec/.test(f)), sent: files.filter((f) => /enc/.test(f)) };
  }

  async stop(): Promise<void> {
    this.ctrl?.destroy();
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    this.freeze(false);
    proc.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        proc.kill('SIGKILL');
        resolve();
      }, 3_000);
      proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

/** Dials and waits for the outcome: established, or closed with its reason (e.g. "486 Busy Here"). */
export async function dialOutcome(phone: Baresip, uri: string, timeoutMs = 20_000): Promise<{ established: boolean; reason: string; ms: number }> {
  const from = phone.events.length;
  const t0 = Date.now();
  phone.dial(uri);
  const e = await phone.waitEvent((ev) => ev.type === 'CALL_ESTABLISHED' || ev.type === 'CALL_CLOSED', timeoutMs, from);
  return { established: e.type === 'CALL_ESTABLISHED', reason: String(e.param ?? ''), ms: Date.now() - t0 };
}
