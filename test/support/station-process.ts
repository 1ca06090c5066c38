/**
 * The station as an operator runs it: `serve.ts` in a child process of its own (node with tsx's loader,
 * so the pid is the station's and a signal reaches it), reading a configuration file and a data folder.
 * Tests that drive a browser keep the station off their own event loop this way, so a busy page, the
 * virtual phones and the station cannot delay one another.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LineView } from '../../electron/station/api/types';
import { freePort } from './ports';
import { waitFor } from './wait';

export interface StationProcessOptions {
  /** The configuration document, written to DIR/station.json (the file settings are saved to). */
  config: Record<string, unknown>;
  /** A fresh folder: station.json and data/ (the database) go there. */
  dir: string;
  adbPort: number;
  /** Extra environment (PULSE_SERVER for the headset, SIP2WA_LOG...). */
  env?: NodeJS.ProcessEnv;
}

/** Output kept per stream: enough to show why a station failed, bounded for long runs. */
const TAIL_CHARS = 50_000;

export class StationProcess {
  private proc: ChildProcess | null = null;
  private stderr = '';
  port = 0;
  readonly configFile: string;
  readonly dataDir: string;

  constructor(private readonly opts: StationProcessOptions) {
    this.configFile = join(opts.dir, 'station.json');
    this.dataDir = join(opts.dir, 'data');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** What the station wrote to stderr (its log), the latest part. */
  get log(): string {
    return this.stderr;
  }

  /** Writes the configuration, starts serve.ts and waits until its API answers. */
  async start(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(this.configFile, JSON.stringify(this.opts.config, null, 2));
    this.port = await freePort();
    const args = ['--import', 'tsx', 'electron/station/serve.ts', '--config', this.configFile, '--data', this.dataDir];
    args.push('--port', String(this.port), '--adb-port', String(this.opts.adbPort), '--no-demo');
    const proc = spawn(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SIP2WA_LOG: 'warn', ...this.opts.env },
    });
    this.proc = proc;
    proc.stderr!.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-TAIL_CHARS)));
    await waitFor(
      `the station's API on port ${this.port}`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`the station exited with ${proc.exitCode}: ${this.stderr.slice(-2000)}`);
        return (await fetch(`${this.url}/api/lines`)).ok;
      },
      30_000,
      100,
    );
  }

  async lines(): Promise<LineView[]> {
    const res = await fetch(`${this.url}/api/lines`);
    if (!res.ok) throw new Error(`GET /api/lines: HTTP ${res.status}`);
    return (await res.json()) as LineView[];
  }

  /** Waits until every line is registered on the PBX; the message lists the lines that are not. */
  async waitRegistered(count: number, timeoutMs = 30_000): Promise<void> {
    let problems: string[] = [];
    await waitFor(
      `${count} lines registered`,
      async () => {
        if (this.proc?.exitCode !== null) throw new Error(`the station exited: ${this.stderr.slice(-2000)}`);
        const all = await this.lines();
        problems = all.filter((l) => l.registration.state !== 'registered').map((l) => `${l.id}: ${l.registration.state} ${l.registration.reason}`);
        return all.length === count && problems.length === 0;
      },
      timeoutMs,
      200,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; not registered: ${problems.join(', ') || 'none'}; station log: ${this.stderr.slice(-2000)}`);
    });
  }

  /** SIGTERM (the station unregisters and closes its database), SIGKILL if it takes more than 10 s. */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
