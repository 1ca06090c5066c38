/**
 * The control thread's handle on the media plane: starts media workers, places each session on the
 * least loaded one, and tells it what to do with the session's audio: bridge it to a phone (the worker
 * opens the call's audio connection), play a prompt, loop it back, or tap it. A call's audio frames stay
 * in the worker; only requests, counts and stats cross. Stats are pulled from every worker on an
 * interval, so `handle.stats` is always a recent snapshot without a round trip.
 *
 * Engine states:
 *
 *   starting --all workers ready--> running --stop()--> stopped
 *                                      \--a worker dies--> running (its sessions end with 'failed')
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Emitter } from '../util/emitter';
import { createLogger, type Logger } from '../util/log';
import type { DtmfDigit } from './dtmf-rfc4733';
import type { EchoTestValue, FromWorker, PhoneAudioStats, PhoneTarget, ReplyValue, SessionSpec, ToWorker, WorkerStats } from './media-messages';
import type { PhoneAudioCounts } from './phone-audio-link';
import type { RecordingSummary } from './call-recording';
import type { RtpSessionStats } from './rtp-session';
import type { NegotiatedAudio } from './sdp';

export interface MediaEngineOptions {
  workers?: number;
  statsIntervalMs?: number;
  log?: Logger;
}

export type MediaSessionEvents = {
  /**
   * One 20 ms frame of 16 kHz PCM from the network. Only while someone listens (the worker is told to tap
   * the session then); a call's audio goes to the phone inside the worker instead (`bridgePhone`).
   */
  pcm: [Int16Array];
  dtmf: [DtmfDigit];
  /** A fresh stats snapshot (also in `stats`), after each pull. */
  stats: [RtpSessionStats];
  /** The session is gone because its worker died; `reason` says why. */
  failed: [reason: string];
};

type Request = Exclude<ToWorker, { type: 'pcm' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** PCM frames that crossed between the control thread and the workers: none for a call bridged to its phone. */
export interface PcmCrossings {
  toWorker: number;
  fromWorker: number;
}

class WorkerHost {
  readonly worker: Worker;
  readonly crossings: PcmCrossings = { toWorker: 0, fromWorker: 0 };
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

  request(message: DistributiveOmit<Request, 'req'>, transfer: ArrayBuffer[] = []): Promise<ReplyValue> {
    const req = this.nextReq++;
    return new Promise((resolve, reject) => {
      this.pending.set(req, { resolve, reject });
      this.worker.postMessage({ ...message, req } as Request, transfer);
    });
  }

  /** A request nobody waits on: its failure (the worker gone, the session destroyed) is logged, not thrown. */
  notify(message: DistributiveOmit<Request, 'req'>, what: string): void {
    this.request(message).catch((err: Error) => this.log.debug(`${what} failed: ${err.message}`));
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ok' || m.type === 'error') {
      const p = this.pending.get(m.req);
      this.pending.delete(m.req);
      if (m.type === 'ok') p?.resolve(m.value);
      else p?.reject(new Error(m.message));
    } else if (m.type === 'pcm') {
      this.crossings.fromWorker++;
      this.sessions.get(m.id)?.deliver('pcm', new Int16Array(m.pcm));
    }
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
  /** The phone audio's latest state and counts (null while not bridged, or before the first pull). */
  phone: PhoneAudioStats | null = null;
  private pcmListeners = 0;

  constructor(
    readonly id: string,
    readonly localPort: number,
    private readonly host: WorkerHost,
  ) {
    super();
  }

  /** Subscribing to 'pcm' taps the session (the worker posts its frames here); the last unsubscribe stops that. */
  override on<K extends keyof MediaSessionEvents>(event: K, listener: (...args: MediaSessionEvents[K]) => void): () => void {
    const off = super.on(event, listener);
    if (event !== 'pcm') return off;
    if (this.pcmListeners++ === 0) this.host.notify({ type: 'tap', id: this.id, on: true }, `tapping media session ${this.id}`);
    let subscribed = true;
    return () => {
      off();
      if (!subscribed) return;
      subscribed = false;
      if (--this.pcmListeners === 0) this.host.notify({ type: 'tap', id: this.id, on: false }, `untapping media session ${this.id}`);
    };
  }

  /** Bridges the session to the phone: its worker opens the call's audio connection and carries the frames. */
  async bridgePhone(phone: PhoneTarget): Promise<void> {
    await this.host.request({ type: 'phone', id: this.id, phone });
  }

  /** The forward moved: the audio connection follows it. */
  setPhonePort(port: number): void {
    this.host.notify({ type: 'phone-port', id: this.id, port }, `moving media session ${this.id}'s phone audio to port ${port}`);
  }

  /** Ends the phone audio (audio-stop, close); resolves with the frames carried each way. */
  async unbridgePhone(): Promise<PhoneAudioCounts | null> {
    return (await this.host.request({ type: 'unphone', id: this.id })) as PhoneAudioCounts | null;
  }

  /** Plays samples into the session, paced in its worker; resolves when done or when `signal` aborts. */
  async play(pcm: Int16Array, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const copy = pcm.slice();
    const stop = (): void => this.host.notify({ type: 'stop-play', id: this.id }, `stopping the prompt in media session ${this.id}`);
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await this.host.request({ type: 'play', id: this.id, pcm: copy.buffer as ArrayBuffer }, [copy.buffer as ArrayBuffer]);
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  /** Records the bridged call's audio, both sides, to a new WAV file written from the worker (call-recording.ts). */
  async record(file: string): Promise<void> {
    await this.host.request({ type: 'record', id: this.id, file });
  }

  /** Ends the recording: the worker writes the rest and closes the file; resolves with what it holds. */
  async stopRecording(): Promise<RecordingSummary | null> {
    return (await this.host.request({ type: 'unrecord', id: this.id })) as RecordingSummary | null;
  }

  /** Station-local echo inside the worker: what the session receives goes straight back. */
  async loopback(on: boolean): Promise<void> {
    await this.host.request({ type: 'loopback', id: this.id, on });
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
    this.host.crossings.toWorker++;
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
    engine.statsTimer = setInterval(
      () => void engine.pullStats().catch((err: Error) => engine.log.debug(`pulling media stats failed: ${err.message}`)),
      opts.statsIntervalMs ?? 1000,
    );
    engine.statsTimer.unref();
    return engine;
  }

  /** PCM frames moved between this thread and the workers so far (taps, pushes; never a bridged call's audio). */
  get crossings(): PcmCrossings {
    return this.hosts.reduce((sum, h) => ({ toWorker: sum.toWorker + h.crossings.toWorker, fromWorker: sum.fromWorker + h.crossings.fromWorker }), { toWorker: 0, fromWorker: 0 });
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

  /**
   * The line echo test on the least loaded worker: it opens an audio connection to `phone`, streams the
   * test signal and measures the echo there. `signal` (the call ended) stops it early; `onPortMove`
   * subscribes to the forward's moves (an adb restart), which the audio connection then follows.
   */
  async echoTest(phone: PhoneTarget, signal?: AbortSignal, onPortMove?: (move: (port: number) => void) => () => void): Promise<EchoTestValue> {
    const host = this.hosts.reduce((a, b) => (b.sessions.size < a.sessions.size ? b : a));
    const id = `echo-${this.nextId++}`;
    const stop = (): void => host.notify({ type: 'unphone', id }, `stopping echo test ${id}`);
    signal?.addEventListener('abort', stop, { once: true });
    const unfollow = onPortMove?.((port) => host.notify({ type: 'phone-port', id, port }, `moving echo test ${id} to port ${port}`));
    try {
      return (await host.request({ type: 'echo-test', id, phone })) as EchoTestValue;
    } finally {
      signal?.removeEventListener('abort', stop);
      unfollow?.();
    }
  }

  /** Each worker's event loop utilization, since `since` when given: how busy the media threads are (benches). */
  eventLoopUtilization(since?: readonly EventLoopUtilization[]): EventLoopUtilization[] {
    return this.hosts.map((h, i) => h.worker.performance.eventLoopUtilization(since?.[i]));
  }

  /** Each worker thread's CPU time so far, in ms (null where the OS does not tell): what the media threads cost (benches). */
  async threadCpuMs(): Promise<(number | null)[]> {
    return Promise.all(this.hosts.map(async (h) => ((await h.request({ type: 'cpu' })) as { cpuMs: number | null }).cpuMs));
  }

  /** Fetches stats from every worker now and updates each handle's snapshot. */
  async pullStats(): Promise<WorkerStats[]> {
    const all = await Promise.all(this.hosts.map((h) => h.request({ type: 'stats' }) as Promise<WorkerStats>));
    all.forEach((ws, i) => {
      const phones = new Map(ws.phones.map((p) => [p.id, p]));
      for (const s of ws.sessions) {
        const handle = this.hosts[i]!.sessions.get(s.id);
        if (!handle) continue;
        handle.stats = s;
        handle.phone = phones.get(s.id) ?? null;
        handle.deliver('stats', s);
      }
    });
    return all;
  }

  async stop(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    for (const h of this.hosts) {
      await Promise.all([...h.sessions.values()].map((s) => s.destroy().catch((err: Error) => this.log.debug(`destroying media session ${s.id} failed: ${err.message}`))));
      await h.worker.terminate();
    }
    this.hosts = [];
  }
}
