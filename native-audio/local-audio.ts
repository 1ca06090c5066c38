/**
 * The operator's headset for test dials: the microphone as 20 ms frames of 16 kHz mono PCM (what the
 * phone's agent takes) and the speaker fed with the same frames from the phone.
 *
 *   device mic --chunks--> framing --(48k->16k)--> mute --> level --> onMic(frame)
 *   play(frame) --> level --> playout queue (latency budget) --(16k->48k)--> device speaker
 *
 * The speaker is pulled, not pushed: a fixed number of frames is kept in flight at the device and each
 * completed write takes the next queued frame, or silence when none came in time. So the speaker never
 * starves into a stall. Frames come in bursts (a 60 ms gap, then three frames at once): the queue
 * absorbs a burst up to the budget, beyond which the oldest are dropped, and a queue that stayed
 * deeper than its target for a whole second is drained by one frame, so a burst does not leave its
 * delay behind for the rest of the call (and clock drift cannot build it up).
 *
 * Capture and playback are two separate device streams (PortAudio's duplex mode stalled with
 * PulseAudio), each opened at 16 kHz or, when the device refuses, at 48 kHz with a 3x resampler.
 */
import { measureFrame, SILENCE_DBFS } from './level-meter';
import { loadNaudiodon, listAudioDevices, pickDevice, type Naudiodon } from './local-audio-devices';
import { deviceResamplers } from './local-audio-resample';
import { bufferToPcm, pcmToBuffer } from './pcm';
import type { Resampler } from './resampler';

export const FRAME_SAMPLES = 320;
const DEVICE_RATES = [16_000, 48_000] as const;

/** One direction of a sound device, as the headset drives it; a synthetic device is just another one. */
export interface DeviceStream {
  readonly rate: number;
  readonly name: string;
  start(): void;
  close(): Promise<void>;
  onError(listener: (err: Error) => void): void;
}
export interface DeviceCapture extends DeviceStream {
  onData(listener: (chunk: Buffer) => void): void;
}
export interface DevicePlayback extends DeviceStream {
  write(chunk: Buffer, done: (err?: Error | null) => void): void;
}

export interface HeadsetOptions {
  /** Frames queued for the speaker before the oldest are dropped (default 6 = 120 ms). */
  budgetFrames?: number;
  /** The queue depth drained towards when it stays deeper for a second (default 1). */
  targetFrames?: number;
  /** Frames kept in flight at the speaker device (default 2). */
  inFlightFrames?: number;
}

export interface HeadsetLevels {
  /** The loudest 20 ms RMS sent to the phone since the last read (silence while muted); null without frames. */
  micDbfs: number | null;
  /** The loudest 20 ms RMS from the phone since the last read; null without frames. */
  speakerDbfs: number | null;
}

export class Headset {
  muted = false;
  /** Frames each way, and what the latency budget cost: for the call's log line and tests. */
  readonly counts = { mic: 0, speaker: 0, dropped: 0, drained: 0, underruns: 0 };
  private micListeners = new Set<(frame: Int16Array) => void>();
  private errorListeners = new Set<(err: Error) => void>();
  private pending: Buffer = Buffer.alloc(0);
  private queue: Int16Array[] = [];
  private micMax: number | null = null;
  private speakerMax: number | null = null;
  private closed = false;
  private playing = false;
  private readonly fromDevice: Resampler | null;
  private readonly toDevice: Resampler | null;
  private readonly budget: number;
  private readonly target: number;
  private readonly inFlight: number;
  /** The shallowest the queue was during the current second of playout, and how many pumps that second has had. */
  private minDepth = Infinity;
  private pumps = 0;

  constructor(
    readonly capture: DeviceCapture,
    readonly playback: DevicePlayback,
    options: HeadsetOptions = {},
  ) {
    this.fromDevice = deviceResamplers(capture.rate).fromDevice;
    this.toDevice = deviceResamplers(playback.rate).toDevice;
    this.budget = options.budgetFrames ?? 6;
    this.target = options.targetFrames ?? 1;
    this.inFlight = options.inFlightFrames ?? 2;
    capture.onData((chunk) => this.captured(chunk));
    for (const s of [capture, playback]) s.onError((err) => this.failed(err));
  }

  /** Starts both devices; the speaker plays silence until frames come. */
  start(): void {
    this.capture.start();
    this.playback.start();
    for (let i = 0; i < this.inFlight; i++) this.pump();
  }

  onMic(listener: (frame: Int16Array) => void): () => void {
    this.micListeners.add(listener);
    return () => this.micListeners.delete(listener);
  }

  onError(listener: (err: Error) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Queues one 20 ms frame (320 samples at 16 kHz) for the speaker. */
  play(frame: Int16Array): void {
    if (this.closed) return;
    this.speakerMax = Math.max(this.speakerMax ?? SILENCE_DBFS, measureFrame(frame).rmsDbfs);
    this.counts.speaker++;
    this.playing = true;
    this.queue.push(frame);
    while (this.queue.length > this.budget) {
      this.queue.shift();
      this.counts.dropped++;
    }
  }

  /** The loudest levels since the previous call (a level display reads it a few times a second). */
  takeLevels(): HeadsetLevels {
    const levels = { micDbfs: this.micMax, speakerDbfs: this.speakerMax };
    this.micMax = null;
    this.speakerMax = null;
    return levels;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.micListeners.clear();
    await Promise.all([this.capture.close(), this.playback.close()]);
  }

  private captured(chunk: Buffer): void {
    if (this.closed) return;
    const deviceFrameBytes = (this.capture.rate / 50) * 2;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= deviceFrameBytes) {
      const bytes = this.pending.subarray(0, deviceFrameBytes);
      this.pending = this.pending.subarray(deviceFrameBytes);
      const raw = bufferToPcm(bytes);
      const frame = this.fromDevice ? this.fromDevice.process(raw) : raw;
      // Muting sends true silence: the phone hears nothing, not a quieter operator.
      if (this.muted) frame.fill(0);
      this.micMax = Math.max(this.micMax ?? SILENCE_DBFS, measureFrame(frame).rmsDbfs);
      this.counts.mic++;
      for (const l of [...this.micListeners]) l(frame);
    }
  }

  /** Writes the next frame to the speaker; called again when the device has taken it. */
  private pump(): void {
    if (this.closed) return;
    this.drain();
    let frame = this.queue.shift();
    if (!frame) {
      if (this.playing) this.counts.underruns++;
      frame = new Int16Array(FRAME_SAMPLES);
    }
    const out = this.toDevice ? this.toDevice.process(frame) : frame;
    this.playback.write(pcmToBuffer(out), (err) => {
      if (err) return this.failed(err);
      this.pump();
    });
  }

  /** Once a second of playout: a queue never shallower than the target holds needless delay; play one frame less. */
  private drain(): void {
    this.minDepth = Math.min(this.minDepth, this.queue.length);
    if (++this.pumps < 50) return;
    if (this.minDepth > this.target) {
      this.queue.shift();
      this.counts.drained++;
    }
    this.minDepth = Infinity;
    this.pumps = 0;
  }

  private failed(err: Error): void {
    if (this.closed) return;
    for (const l of [...this.errorListeners]) l(err);
  }
}

export interface OpenHeadsetOptions extends HeadsetOptions {
  /** Device names as listAudioDevices gives them; absent = the system default. */
  input?: string;
  output?: string;
}

/** Opens the PC's headset through naudiodon; throws naming the device and the reason. */
export function openHeadset(options: OpenHeadsetOptions = {}): Headset {
  const na = loadNaudiodon();
  const devices = listAudioDevices();
  const input = pickDevice(devices, options.input, 'input');
  const output = pickDevice(devices, options.output, 'output');
  const capture = openAtSomeRate((rate) => naudiodonCapture(na, input, rate), `input "${input.name}"`);
  let playback: DevicePlayback;
  try {
    playback = openAtSomeRate((rate) => naudiodonPlayback(na, output, rate), `output "${output.name}"`);
  } catch (err) {
    void capture.close();
    throw err;
  }
  return new Headset(capture, playback, options);
}

function openAtSomeRate<T>(open: (rate: number) => T, what: string): T {
  const errors: string[] = [];
  for (const rate of DEVICE_RATES) {
    try {
      return open(rate);
    } catch (err) {
      errors.push(`${rate} Hz: ${(err as Error).message}`);
    }
  }
  throw new Error(`cannot open the headset ${what} (${errors.join('; ')})`);
}

/**
 * The options naudiodon takes for a 20 ms mono s16 stream; reads and writes are one frame each.
 * `maxQueue` is naudiodon's queue of frames between the audio thread and JavaScript: when it is full
 * the audio thread blocks (the device then overruns and loses audio). The mic's queue is deep, as it
 * is read as soon as frames come and only fills while the event loop is busy; the speaker's is short,
 * as it is always full (the pump keeps it so) and every frame in it is delay.
 */
function streamOptions(deviceId: number, rate: number, maxQueue: number) {
  const frames = rate / 50;
  return { deviceId, sampleRate: rate, channelCount: 1, sampleFormat: 16 as const, framesPerBuffer: frames, highwaterMark: frames * 2, maxQueue, closeOnError: false };
}

/**
 * Stops a naudiodon stream, giving up waiting after a second (a wedged device must not hang a
 * hang-up). quit, not abort: naudiodon 2.3's abort throws ("Quit expects 1 argument") and leaves the
 * stream running, which also keeps the process alive.
 */
function stopStream(io: { quit(cb?: () => void): void }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1000);
    io.quit(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function naudiodonCapture(na: Naudiodon, device: { id: number; name: string }, rate: number): DeviceCapture {
  const io = na.AudioIO({ inOptions: streamOptions(device.id, rate, 8) });
  return {
    rate,
    name: device.name,
    start: () => io.start(),
    close: () => stopStream(io),
    onData: (listener) => void io.on('data', (chunk: Buffer) => listener(chunk)),
    onError: (listener) => void io.on('error', (err: Error) => listener(new Error(`headset input "${device.name}": ${err.message}`))),
  };
}

function naudiodonPlayback(na: Naudiodon, device: { id: number; name: string }, rate: number): DevicePlayback {
  const io = na.AudioIO({ outOptions: streamOptions(device.id, rate, 2) });
  return {
    rate,
    name: device.name,
    start: () => io.start(),
    close: () => stopStream(io),
    write: (chunk, done) => void io.write(chunk, (err) => done(err ?? null)),
    onError: (listener) => void io.on('error', (err: Error) => listener(new Error(`headset output "${device.name}": ${err.message}`))),
  };
}
