/**
 * The host JVM that runs the real Java agent behind a farm of virtual phones: one JVM per farm (64 JVMs
 * would not fit on a PC), one agent instance in it per phone whose shell started the agent, all reached
 * over one bridge connection (bridge.ts). The classes are compiled from phone-agent/android/{core,host}
 * at the phone build's Java 7 level, once per source version, into a folder named by the sources' hash,
 * so parallel test workers never see a half-built tree.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Logger } from '../../../electron/station/util/log';
import { BridgeDecoder, type BridgeFrame } from './bridge';

const ANDROID_DIR = fileURLToPath(new URL('../../android/', import.meta.url));
const SOURCE_DIRS = [join(ANDROID_DIR, 'core', 'src'), join(ANDROID_DIR, 'host', 'src')];
const HOST_MAIN = 'org.sip2wa.agent.host.HostMain';
const JVM_CONNECT_TIMEOUT_MS = 20_000;

/** Receives the bridge frames of one phone. */
export interface BridgePhone {
  fromJvm(frame: BridgeFrame): void;
}

function javaSources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.java'))
    .map((f) => join(dir, f))
    .sort();
}

/** Compiles core + host once per source version; returns the classes folder. */
export async function buildHostAgentClasses(): Promise<string> {
  const files = SOURCE_DIRS.flatMap(javaSources);
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(f));
  const buildDir = join(ANDROID_DIR, 'build');
  const target = join(buildDir, `host-classes-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(target, HOST_MAIN.replaceAll('.', '/') + '.class'))) return target;
  mkdirSync(buildDir, { recursive: true });
  const tmp = mkdtempSync(join(buildDir, '.host-classes-'));
  try {
    await promisify(execFile)('javac', ['--release', '7', '-Xlint:-options', '-encoding', 'UTF-8', '-d', tmp, ...files]);
    try {
      renameSync(tmp, target);
    } catch (err) {
      // Another worker built the same sources first: theirs is as good as ours.
      if (!existsSync(target) || !statSync(target).isDirectory()) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  pruneOldBuilds(buildDir, target);
  return target;
}

/** Builds of earlier sources, left by edits; one an hour old is no longer used by a running test. */
function pruneOldBuilds(buildDir: string, keep: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(buildDir)) {
    const dir = join(buildDir, name);
    if (!name.startsWith('host-classes-') || dir === keep) continue;
    if (statSync(dir).mtimeMs < hourAgo) rmSync(dir, { recursive: true, force: true });
  }
}

export class JavaAgentHost {
  private readonly phones = new Map<number, BridgePhone>();
  private readonly decoder = new BridgeDecoder();
  private socket: Socket | null = null;
  private closing = false;

  private constructor(
    private readonly server: Server,
    private readonly jvm: ChildProcess,
    private readonly log: Logger,
  ) {}

  /** Builds the classes, starts the JVM and waits until it has connected to the bridge. */
  static async start(log: Logger): Promise<JavaAgentHost> {
    const classes = await buildHostAgentClasses();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as { port: number }).port;
    const jvm = spawn('java', ['-Xss512k', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classes, HOST_MAIN, '--bridge', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const host = new JavaAgentHost(server, jvm, log);
    host.pipeLog();
    await host.accept();
    return host;
  }

  register(phone: number, handler: BridgePhone): void {
    this.phones.set(phone, handler);
  }

  unregister(phone: number, handler: BridgePhone): void {
    if (this.phones.get(phone) === handler) this.phones.delete(phone);
  }

  send(frame: Buffer): void {
    if (this.socket && !this.socket.destroyed) this.socket.write(frame);
  }

  /** Ends the JVM: closing the bridge stops every agent in it. */
  async stop(): Promise<void> {
    this.closing = true;
    this.socket?.end();
    const exited = new Promise<void>((resolve) => {
      if (this.jvm.exitCode !== null || this.jvm.signalCode !== null) resolve();
      else this.jvm.once('exit', () => resolve());
    });
    const timer = setTimeout(() => this.jvm.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    this.server.close();
  }

  private accept(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the agent JVM did not connect within ${JVM_CONNECT_TIMEOUT_MS} ms`)), JVM_CONNECT_TIMEOUT_MS);
      this.jvm.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the agent JVM exited (code ${code}) before it connected to the bridge`));
      });
      this.server.once('connection', (socket) => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        this.socket = socket;
        socket.on('data', (chunk: Buffer) => {
          for (const frame of this.decoder.push(chunk)) this.phones.get(frame.phone)?.fromJvm(frame);
        });
        socket.on('error', (err) => this.log.warn(`agent JVM bridge: ${err.message}`));
        socket.on('close', () => {
          if (!this.closing) this.log.error('the agent JVM closed the bridge: every Java agent is gone');
        });
        resolve();
      });
    });
  }

  private pipeLog(): void {
    let pending = '';
    this.jvm.stderr?.setEncoding('utf8');
    this.jvm.stderr?.on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (/ (WARN|ERROR) /.test(line) || !line.startsWith('phone ')) this.log.warn(`java agent: ${line}`);
        else this.log.debug(`java agent: ${line}`);
      }
    });
  }
}
