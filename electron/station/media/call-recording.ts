/**
 * One call's audio written to a WAV file from inside its media worker: 16 kHz, 16-bit, stereo, the PBX
 * side (what RTP brought) on the left channel and the phone side (the WhatsApp party) on the right, so
 * one file plays as the call sounded and each party can still be heard (or measured) alone.
 *
 * The media thread only copies each 20 ms frame into a ring of a few seconds: no allocation, no I/O.
 * Once a second a batch of the ring is handed to an asynchronous write (libuv's thread pool does the
 * disk work), followed by a header update, so a file cut off by a crash is a valid WAV up to its last
 * batch. The two sides arrive at their own pace (RTP from the jitter buffer, the phone from its audio
 * connection): each frame goes to the next slot of its channel, and a side that runs more than
 * RESYNC_FRAMES ahead of or behind the clock is put back on the clock, leaving silence where it had none.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { buildWav } from '../../../native-audio/wav';

export const RECORDING_RATE = 16_000;
export const RECORDING_CHANNELS = 2;
const FRAME_SAMPLES = 320;
const FRAME_MS = 20;
/** Frames per write: one second. */
const BATCH_FRAMES = 50;
/** A slot is written out this many frames after its time, so a late frame of either side still lands. */
const LATE_FRAMES = 10;
/** The ring holds three batches: a batch is copied out while the next one fills. */
const RING_FRAMES = 3 * BATCH_FRAMES;
/** How far a side may drift from the clock before it is put back on it. */
const RESYNC_FRAMES = 5;
/** Writes waiting for a slow disk before batches are dropped (and counted) rather than queued. */
const MAX_PENDING_WRITES = 30;
const HEADER_BYTES = 44;
const FRAME_BYTES = FRAME_SAMPLES * RECORDING_CHANNELS * 2;

/** What a finished recording holds. */
export interface RecordingSummary {
  file: string;
  bytes: number;
  durationMs: number;
  /** Frames that came too late for their slot, or batches a stalled disk could not take. */
  droppedFrames: number;
  /** The first write error, if the disk refused (the call goes on unrecorded from there). */
  error: string | null;
}

export interface CallRecordingOptions {
  /** Milliseconds on the worker's pacing clock. */
  now(): number;
}

export class CallRecording {
  private readonly ring = new Int16Array(RING_FRAMES * FRAME_SAMPLES * RECORDING_CHANNELS);
  private readonly start: number;
  private readonly cursor = [0, 0];
  /** Frames written to the file (or handed to a write) so far. */
  private flushed = 0;
  private end = 0;
  private writes: Promise<void> = Promise.resolve();
  private pending = 0;
  private dropped = 0;
  private error: string | null = null;
  private closed: Promise<RecordingSummary> | null = null;

  private constructor(
    private readonly file: string,
    private readonly fh: FileHandle,
    private readonly opts: CallRecordingOptions,
  ) {
    this.start = opts.now();
  }

  /** Creates the file (failing if it exists: a recording is never overwritten) and writes its header. */
  static async open(file: string, opts: CallRecordingOptions): Promise<CallRecording> {
    const fh = await open(file, 'wx', 0o600);
    try {
      await fh.write(buildWav(Buffer.alloc(0), RECORDING_RATE, RECORDING_CHANNELS), 0, HEADER_BYTES, 0);
    } catch (err) {
      await fh.close();
      throw err;
    }
    return new CallRecording(file, fh, opts);
  }

  /** A 20 ms frame the PBX sent (left channel); copied at once, so the caller may reuse it. */
  pbx(frame: Int16Array): void {
    this.frame(0, frame);
  }

  /** A 20 ms frame the phone sent (right channel). */
  phone(frame: Int16Array): void {
    this.frame(1, frame);
  }

  private frame(side: 0 | 1, frame: Int16Array): void {
    if (this.closed) return;
    const slot = Math.floor((this.opts.now() - this.start) / FRAME_MS);
    let pos = this.cursor[side]!;
    if (pos > slot + RESYNC_FRAMES || pos < slot - RESYNC_FRAMES) pos = slot;
    this.cursor[side] = pos + 1;
    if (pos < this.flushed || pos >= this.flushed + RING_FRAMES) {
      this.dropped++;
    } else {
      const base = (pos % RING_FRAMES) * FRAME_SAMPLES * RECORDING_CHANNELS + side;
      const n = Math.min(frame.length, FRAME_SAMPLES);
      for (let i = 0; i < n; i++) this.ring[base + i * RECORDING_CHANNELS] = frame[i]!;
      if (pos + 1 > this.end) this.end = pos + 1;
    }
    while (slot - this.flushed >= BATCH_FRAMES + LATE_FRAMES) this.flush(BATCH_FRAMES);
  }

  /** Resolves once every batch handed to the disk so far is written (the file is valid up to there). */
  written(): Promise<void> {
    return this.writes;
  }

  /** Writes what is left, fixes the header and closes the file; the same summary however often it is called. */
  close(): Promise<RecordingSummary> {
    this.closed ??= this.finish();
    return this.closed;
  }

  private async finish(): Promise<RecordingSummary> {
    if (this.end > this.flushed) this.flush(this.end - this.flushed);
    await this.writes;
    await this.fh.close().catch((err: Error) => (this.error ??= err.message));
    return { file: this.file, bytes: HEADER_BYTES + this.flushed * FRAME_BYTES, durationMs: this.flushed * FRAME_MS, droppedFrames: this.dropped, error: this.error };
  }

  /** Hands `frames` frames from the oldest unwritten one to the writer and clears their slots. */
  private flush(frames: number): void {
    const from = this.flushed;
    const batch = Buffer.allocUnsafe(frames * FRAME_BYTES);
    const out = new Int16Array(batch.buffer, batch.byteOffset, frames * FRAME_SAMPLES * RECORDING_CHANNELS);
    // The batch may wrap round the ring's end: copy it in at most two runs.
    const stride = FRAME_SAMPLES * RECORDING_CHANNELS;
    const first = Math.min(frames, RING_FRAMES - (from % RING_FRAMES));
    const a = (from % RING_FRAMES) * stride;
    out.set(this.ring.subarray(a, a + first * stride), 0);
    this.ring.fill(0, a, a + first * stride);
    if (first < frames) {
      out.set(this.ring.subarray(0, (frames - first) * stride), first * stride);
      this.ring.fill(0, 0, (frames - first) * stride);
    }
    this.flushed += frames;
    if (this.error) return;
    if (this.pending >= MAX_PENDING_WRITES) {
      this.dropped += frames;
      return;
    }
    const at = HEADER_BYTES + from * FRAME_BYTES;
    this.pending++;
    this.writes = this.writes
      .then(async () => {
        if (this.error) return;
        await this.fh.write(batch, 0, batch.length, at);
        // The sizes follow each batch: a file cut off by a crash plays up to here.
        const sizes = Buffer.alloc(4);
        sizes.writeUInt32LE(36 + at - HEADER_BYTES + batch.length, 0);
        await this.fh.write(sizes, 0, 4, 4);
        sizes.writeUInt32LE(at - HEADER_BYTES + batch.length, 0);
        await this.fh.write(sizes, 0, 4, 40);
      })
      .catch((err: Error) => {
        this.error ??= `${this.file}: ${err.message}`;
      })
      .finally(() => this.pending--);
  }
}
