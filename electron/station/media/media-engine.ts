/**
 * The control thread's handle on the media plane: starts media workers, places each session on the
 * least loaded one, and exchanges PCM frames and DTMF with it. Stats are pulled from every worker on an
 * interval, so `handle.stats` is always a recent snapshot without a round trip.
 *
 * Engine states:
 *
 *   starting --all workers ready--> running --stop()--> stopped
 *                                      \--a worker dies--> running (its sessions end with 'failed')
 */
import { Worker } from 'node:worker_threads';
import { Emitter } from '../util/emitter';
import { createLogger, type Logger } from '../util/log';
import type { DtmfDigit } from './dtmf-rfc4733';
import type { FromWorker, ReplyValue, SessionSpec, ToWorker, WorkerStats } from './media-messages';
import type { RtpSessionStats } from './rtp-session';
import type { NegotiatedAudio } from './sdp';

export interface MediaEngineOptions {
  workers?: number;
  statsIntervalMs?: number;
  log?: Logger;
}

export type MediaSessionEvents = {
  /** One 20 ms frame of 16 kHz PCM from the network, for the phone. */
  pcm: [Int16Array];
  dtmf: [DtmfDigit];
  /** A fresh stats snapshot (also in `stats`), after each pull. */
  stats: [RtpSessionStats];
  /** The session is gone because its worker died; `reason` says why. */
  failed: [reason: string];
};

type Request = Exclude<ToWorker, { type: 'pcm' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

class WorkerHost {
  readonly worker: Worker;
  readonly sessions = new Map<string, MediaSessionHandle>();
  private pending = new Map<number, { resolve: (v: ReplyValue) => void; reject: (e: Error) => void }>();
  private nextReq = 1;
  readonly ready: Promise<void>;

  constructor(
    index: number,
    private readonly log: Logger,
  ) {
    const entry = new URL(`./media-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
    // A small young generation keeps the worker's scavenges short and its memory flat under load.
    this.worker = new Worker(new URL('./media-worker-boot.mjs', import.meta.url), {
      workerData: { entry },
      name: `media-${index}`,
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.on('message', (m: FromWorker) => (m.type === 'ready' ? resolve() : this.onMessage(m)));
    });
    this.worker.on('error', (err) => this.fail(`media worker ${index} crashed: ${err.message}`));
    this.worker.on('exit', (code) => this.fail(`media worker ${index} exited with code ${code}`));
  }

  request(message: DistributiveOmit<Request, 'req'>): Promise<ReplyValue> {
    const req = this.nextReq++;
    return new Promise((resolve, reject) => {
      this.pending.set(req, { resolve, reject });
      this.worker.postMessage({ ...message, req } as Request);
    });
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ok' || m.type === 'error') {
      const p = this.pending.get(m.req);
      this.pending.delete(m.req);
      if (m.type === 'ok') p?.resolve(m.value);
      else p?.reject(new Error(m.message));
    } else if (m.type === 'pcm') this.sessions.get(m.id)?.deliver('pcm', new Int16Array(m.pcm));
    else if (m.type === 'dtmf') this.sessions.get(m.id)?.deliver('dtmf', m.digit);
  }

  private fail(reason: string): void {
    if (!this.pending.size && !this.sessions.size) return;
    this.log.error(reason);
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
    for (const s of this.sessions.values()) s.deliver('failed', reason);
    this.sessions.clear();
  }
}

/** One session in a worker, seen from the control thread. */
export class MediaSessionHandle extends Emitter<MediaSessionEvents> {
  /** The latest stats pulled from the worker (null before the first pull). */
  stats: RtpSessionStats | null = null;

  constructor(
    readonly id: string,
    readonly localPort: number,
    private readonly host: WorkerHost,
  ) {
    super();
  }

  configure(negotiated: NegotiatedAudio): Promise<void> {
    return this.host.request({ type: 'configure', id: this.id, negotiated }).then(() => undefined);
  }

  /**
   * Sends one 20 ms frame (320 samples) towards RTP. The frame's buffer is transferred to the worker,
   * so the caller must not use it afterwards; a view into a larger buffer is copied first.
   */
  pushPcm(frame: Int16Array): void {
    const owned = frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength && frame.buffer instanceof ArrayBuffer ? frame : frame.slice();
    const pcm = owned.buffer as ArrayBuffer;
    this.host.worker.postMessage({ type: 'pcm', id: this.id, pcm } satisfies ToWorker, [pcm]);
  }

  async sendDtmf(digits: string): Promise<boolean> {
    const v = (await this.host.request({ type: 'dtmf', id: this.id, digits })) as { sent: boolean };
    return v.sent;
  }

  async describe(): Promise<string> {
    return ((await this.host.request({ type: 'describe', id: this.id })) as { text: string }).text;
  }

  async destroy(): Promise<void> {
    this.host.sessions.delete(this.id);
    await this.host.request({ type: 'destroy', id: this.id });
  }

  /** @internal Called by the worker host. */
  deliver<K extends keyof MediaSessionEvents>(event: K, ...args: MediaSessionEvents[K]): void {
    this.emit(event, ...args);
  }
}

export class MediaEngine {
  private hosts: WorkerHost[] = [];
  private statsTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private readonly log: Logger;

  private constructor(private readonly opts: MediaEngineOptions) {
    this.log = opts.log ?? createLogger('media-engine');
  }

  static async start(opts: MediaEngineOptions = {}): Promise<MediaEngine> {
    const engine = new MediaEngine(opts);
    const count = Math.max(1, opts.workers ?? 1);
    engine.hosts = Array.from({ length: count }, (_, i) => new WorkerHost(i, engine.log));
    await Promise.all(engine.hosts.map((h) => h.ready));
    engine.statsTimer = setInterval(() => void engine.pullStats().catch(() => undefined), opts.statsIntervalMs ?? 1000);
    engine.statsTimer.unref();
    return engine;
  }

  /** Binds a session's ports in the least loaded worker. */
  async createSession(spec: Partial<SessionSpec> = {}): Promise<MediaSessionHandle> {
    const host = this.hosts.reduce((a, b) => (b.sessions.size < a.sessions.size ? b : a));
    const id = spec.id ?? `media-${this.nextId++}`;
    const { port } = (await host.request({ type: 'create', spec: { ...spec, id } })) as { port: number };
    const handle = new MediaSessionHandle(id, port, host);
    host.sessions.set(id, handle);
    return handle;
  }

  /** Fetches stats from every worker now and updates each handle's snapshot. */
  async pullStats(): Promise<WorkerStats[]> {
    const all = await Promise.all(this.hosts.map((h) => h.request({ type: 'stats' }) as Promise<WorkerStats>));
    all.forEach((ws, i) => {
      for (const s of ws.sessions) {
        const handle = this.hosts[i]!.sessions.get(s.id);
        if (!handle) continue;
        handle.stats = s;
        handle.deliver('stats', s);
      }
    });
    return all;
  }

  async stop(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    for (const h of this.hosts) {
      await Promise.all([...h.sessions.values()].map((s) => s.destroy().catch(() => undefined)));
      await h.worker.terminate();
    }
    this.hosts = [];
  }
}
