/**
 * The control thread's handle on the headset worker (headset-worker.ts): starts it on first use (a
 * station that never test-dials never loads the sound library), asks it to list devices, open the
 * headset, bridge it to the phone, mute and close, and passes on its levels and failures. Only requests,
 * numbers and names cross (headset-messages.ts); `crossings` counts any message that carried binary
 * data, which is what audio would be.
 *
 *   idle --first request--> starting --ready--> running --stop()--> idle
 *                                                   \--the worker dies--> idle (pending requests fail, 'failed' is emitted)
 */
import { Worker } from 'node:worker_threads';
import type { AudioDevice } from '../api/types';
import type { HeadsetLevels } from '../../../native-audio/local-audio';
import type { PhoneTarget } from '../media/media-messages';
import { Emitter } from '../util/emitter';
import type { Logger } from '../util/log';
import type { FromHeadsetWorker, HeadsetClosed, HeadsetOpened, HeadsetReply, HeadsetWorkerStats, ToHeadsetWorker } from './headset-messages';

export type HeadsetHostEvents = {
  levels: [HeadsetLevels];
  /** A device stream failed, or the worker itself stopped, while a headset was open. */
  failed: [message: string];
};

type Request = ToHeadsetWorker extends infer T ? (T extends unknown ? Omit<T, 'req'> : never) : never;

/** Messages between the control thread and the headset worker that carried binary data (audio would). */
export interface HeadsetCrossings {
  toWorker: number;
  fromWorker: number;
}

export class HeadsetHost extends Emitter<HeadsetHostEvents> {
  readonly crossings: HeadsetCrossings = { toWorker: 0, fromWorker: 0 };
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private pending = new Map<number, { resolve: (v: HeadsetReply) => void; reject: (e: Error) => void }>();
  private nextReq = 1;

  constructor(private readonly log: Logger) {
    super();
  }

  /** Every device PortAudio sees; throws naming why when the sound library cannot be loaded. */
  async devices(): Promise<AudioDevice[]> {
    return (await this.request({ type: 'devices' })) as AudioDevice[];
  }

  /** Opens and starts both device streams; throws with the device problem (which devices exist). */
  async open(lineId: string, choice: { input?: string; output?: string }, levelsEveryMs: number): Promise<HeadsetOpened> {
    return (await this.request({ type: 'open', lineId, input: choice.input, output: choice.output, levelsEveryMs })) as HeadsetOpened;
  }

  /** Opens the call's audio connection in the worker: the headset talks to the phone from now on. */
  async bridge(phone: PhoneTarget): Promise<void> {
    await this.request({ type: 'phone', phone });
  }

  setPhonePort(port: number): void {
    void this.request({ type: 'phone-port', port }).catch(() => undefined);
  }

  mute(muted: boolean): void {
    void this.request({ type: 'mute', muted }).catch(() => undefined);
  }

  /** Closes the audio connection and the device streams; null when nothing was open (or the worker is gone). */
  async close(): Promise<HeadsetClosed | null> {
    if (!this.worker) return null;
    return (await this.request({ type: 'close' })) as HeadsetClosed | null;
  }

  /** What is open in the worker now (nothing when it is not running). */
  async stats(): Promise<HeadsetWorkerStats> {
    if (!this.worker) return { open: false, phone: null, headset: null };
    return (await this.request({ type: 'stats' })) as HeadsetWorkerStats;
  }

  /** Closes whatever is open and ends the worker (station shutdown). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await this.close().catch(() => null);
    this.worker = null;
    this.ready = null;
    await worker.terminate();
  }

  private async request(message: Request): Promise<HeadsetReply> {
    const worker = this.start();
    await this.ready;
    const req = this.nextReq++;
    if (carriesBinary(message)) this.crossings.toWorker++;
    return new Promise((resolve, reject) => {
      this.pending.set(req, { resolve, reject });
      worker.postMessage({ ...message, req } as ToHeadsetWorker);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = new URL(`./headset-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
    const worker = new Worker(new URL('../media/media-worker-boot.mjs', import.meta.url), { workerData: { entry }, name: 'headset' });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: FromHeadsetWorker) => (m.type === 'ready' ? resolve() : this.onMessage(m)));
    });
    worker.on('error', (err) => this.gone(worker, `the headset worker crashed: ${err.message}`));
    worker.on('exit', (code) => this.gone(worker, `the headset worker exited with code ${code}`));
    return worker;
  }

  private onMessage(m: Exclude<FromHeadsetWorker, { type: 'ready' }>): void {
    if (carriesBinary(m)) this.crossings.fromWorker++;
    if (m.type === 'ok' || m.type === 'error') {
      const p = this.pending.get(m.req);
      this.pending.delete(m.req);
      if (m.type === 'ok') p?.resolve(m.value);
      else p?.reject(new Error(m.message));
    } else if (m.type === 'levels') this.emit('levels', { micDbfs: m.micDbfs, speakerDbfs: m.speakerDbfs });
    else this.emit('failed', m.message);
  }

  private gone(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    this.log.error(reason);
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
    this.emit('failed', reason);
  }
}

/** Whether a message holds an ArrayBuffer or a typed array anywhere in it. */
function carriesBinary(value: unknown): boolean {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(carriesBinary);
}
