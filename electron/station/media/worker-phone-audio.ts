/**
 * Inside a media worker: where each session's received PCM goes, and everything else that feeds a
 * session or a phone at real time, so that none of it waits for the control thread.
 *
 * - A session bridged to its phone sends what RTP brings to the phone's audio connection
 *   (phone-audio-link.ts) and plays what the phone sends into RTP: RTP and phone PCM meet here.
 * - A looped-back session (the station-local echo test) returns what it receives.
 * - A tapped session posts what it receives to the control thread (tests, benches); nothing else does.
 * - A recorded session's two sides are copied into its recording (call-recording.ts) on their way.
 * - Prompts are paced into a session from here.
 * - The line echo test streams its signal to a phone and measures the echo here.
 *
 * Both are paced by the worker's pacing clock, the one its sessions tick on.
 */
import type { PacingClock } from '../../../native-audio/pacing-clock';
import { play } from './prompt-player';
import { echoPlan, FRAME_SAMPLES, MAX_ROUND_TRIP_MS, measureEcho } from './echo-signal';
import type { Logger } from '../util/log';
import type { EchoTestValue, FromWorker, PhoneAudioStats, PhoneTarget } from './media-messages';
import { PhoneAudioLink, type PhoneAudioCounts } from './phone-audio-link';
import { CallRecording, type RecordingSummary } from './call-recording';
import type { RtpSession } from './rtp-session';

export interface WorkerPhoneAudioDeps {
  log: Logger;
  clock: PacingClock;
  post(message: FromWorker, transfer?: ArrayBuffer[]): void;
  session(id: string): RtpSession | undefined;
}

/** How long the echo test waits for its audio connection to open before it gives up. */
const ECHO_CONNECT_MS = 5_000;

export class WorkerPhoneAudio {
  /** A bridged phone's link, and the session's recording if it has one (null: a null check per frame, nothing more). */
  private readonly phones = new Map<string, { link: PhoneAudioLink; detail: string; recording: CallRecording | null }>();
  private readonly recordings = new Map<string, CallRecording>();
  private readonly loops = new Set<string>();
  private readonly taps = new Set<string>();
  private readonly plays = new Map<string, AbortController>();
  /** Echo tests in progress: ending one (unphone) stops its signal. */
  private readonly echoes = new Map<string, AbortController>();

  constructor(private readonly deps: WorkerPhoneAudioDeps) {}

  /** One 20 ms frame the session decoded from RTP. */
  received(id: string, frame: Int16Array): void {
    const phone = this.phones.get(id);
    if (phone) {
      phone.recording?.pbx(frame);
      phone.link.send(frame);
      return;
    }
    if (this.loops.has(id)) {
      this.deps.session(id)?.pushPcm(frame.slice());
      return;
    }
    if (!this.taps.has(id)) return;
    // Copy into a buffer of our own: the frame may be a view the pipeline reuses.
    const copy = frame.slice();
    this.deps.post({ type: 'pcm', id, pcm: copy.buffer as ArrayBuffer }, [copy.buffer as ArrayBuffer]);
  }

  bridge(id: string, target: PhoneTarget): void {
    if (!this.deps.session(id)) throw new Error(`no media session '${id}' in this worker`);
    this.open(id, target, (frame) => this.deps.session(id)?.pushPcm(frame));
  }

  setPort(id: string, port: number): void {
    this.phones.get(id)?.link.setPort(port);
  }

  /** Ends the phone audio of a session or an echo test; returns what it carried. */
  unbridge(id: string): PhoneAudioCounts | null {
    this.echoes.get(id)?.abort();
    const phone = this.phones.get(id);
    if (!phone) return null;
    this.phones.delete(id);
    phone.link.close();
    return { ...phone.link.counts };
  }

  async play(id: string, pcm: Int16Array): Promise<{ played: boolean }> {
    const session = this.deps.session(id);
    if (!session) throw new Error(`no media session '${id}' in this worker`);
    this.plays.get(id)?.abort();
    const ctl = new AbortController();
    this.plays.set(id, ctl);
    try {
      await play(session, pcm, this.deps.clock, ctl.signal);
      return { played: !ctl.signal.aborted && this.deps.session(id) !== undefined };
    } finally {
      if (this.plays.get(id) === ctl) this.plays.delete(id);
    }
  }

  stopPlay(id: string): void {
    this.plays.get(id)?.abort();
  }

  loopback(id: string, on: boolean): void {
    if (on) this.loops.add(id);
    else this.loops.delete(id);
  }

  tap(id: string, on: boolean): void {
    if (on) this.taps.add(id);
    else this.taps.delete(id);
  }

  /** Records the session's bridged audio to `file` (both sides, once its phone is bridged). */
  async record(id: string, file: string): Promise<void> {
    if (!this.deps.session(id)) throw new Error(`no media session '${id}' in this worker`);
    if (this.recordings.has(id)) throw new Error(`media session '${id}' is already being recorded`);
    const recording = await CallRecording.open(file, { now: () => this.deps.clock.now() });
    if (!this.deps.session(id)) {
      // The call ended while the file was being created.
      await recording.close();
      throw new Error(`media session '${id}' ended before its recording started`);
    }
    this.recordings.set(id, recording);
    const phone = this.phones.get(id);
    if (phone) phone.recording = recording;
  }

  /** Ends the session's recording: the rest of its audio is written and the file closed. */
  async unrecord(id: string): Promise<RecordingSummary | null> {
    const recording = this.recordings.get(id);
    if (!recording) return null;
    this.recordings.delete(id);
    const phone = this.phones.get(id);
    if (phone) phone.recording = null;
    return recording.close();
  }

  /** A session is gone: everything that fed it or listened to it stops. */
  forget(id: string): void {
    void this.unrecord(id).then((s) => {
      if (s?.error) this.deps.log.warn(`recording of media session ${id}: ${s.error}`);
    });
    this.unbridge(id);
    this.stopPlay(id);
    this.loops.delete(id);
    this.taps.delete(id);
  }

  stats(): PhoneAudioStats[] {
    return [...this.phones].map(([id, p]) => ({ id, state: p.link.state, detail: p.detail, counts: { ...p.link.counts } }));
  }

  /**
   * The line echo test (operator/echo-test-call.ts): once the audio connection is open, streams the test
   * signal at real time (one 20 ms frame per tick of the pacing clock), records what comes back and measures it.
   */
  async echoTest(id: string, target: PhoneTarget): Promise<EchoTestValue> {
    const plan = echoPlan();
    const frames = plan.samples.length / FRAME_SAMPLES;
    const received: Int16Array[] = [];
    const sentAt: number[] = [];
    const arrivedAt: number[] = [];
    let sending = false;
    const clock = this.deps.clock;
    const link = this.open(id, target, (frame) => {
      if (!sending) return;
      received.push(frame);
      arrivedAt.push(clock.now());
    });
    const ctl = new AbortController();
    this.echoes.set(id, ctl);
    try {
      const deadline = performance.now() + ECHO_CONNECT_MS;
      while (link.state !== 'open' && !ctl.signal.aborted && performance.now() < deadline) await delay(20);
      sending = true;
      const toPhone = {
        pushPcm: (frame: Int16Array) => {
          sentAt.push(clock.now());
          link.send(frame);
        },
      };
      await play(toPhone, plan.samples, clock, ctl.signal);
      // The last frames' echo is on its way: wait one round trip budget's worth at most for the record to fill.
      const until = performance.now() + MAX_ROUND_TRIP_MS;
      while (!ctl.signal.aborted && received.length < frames && performance.now() < until) await delay(20);
    } finally {
      this.echoes.delete(id);
      this.unbridge(id);
    }
    const back = new Int16Array(received.length * FRAME_SAMPLES);
    received.forEach((f, i) => back.set(f.subarray(0, FRAME_SAMPLES), i * FRAME_SAMPLES));
    // One correlation per test, about 25-40 ms of this thread: the other sessions' jitter buffers absorb
    // one late tick, and the control thread stays free (it used to block there for as long).
    const result = measureEcho(plan, back);
    // The correlation's lag counts whole samples of the returned stream; each returned frame also
    // arrived some milliseconds after the frame sent in the same position: together, the round trip.
    const n = Math.min(sentAt.length, arrivedAt.length);
    if (result.roundTripMs !== null && n > 0) {
      let offset = 0;
      for (let i = 0; i < n; i++) offset += arrivedAt[i]! - sentAt[i]!;
      result.roundTripMs = Math.round(result.roundTripMs + offset / n);
    }
    return { complete: !ctl.signal.aborted, result };
  }

  private open(id: string, target: PhoneTarget, onFrame: (frame: Int16Array) => void): PhoneAudioLink {
    this.unbridge(id);
    const entry = { link: null as unknown as PhoneAudioLink, detail: '', recording: this.recordings.get(id) ?? null };
    entry.link = new PhoneAudioLink({
      port: target.port,
      software: target.software,
      callId: target.callId,
      ack: target.ack,
      log: this.deps.log,
      onFrame: (frame) => {
        entry.recording?.phone(frame);
        onFrame(frame);
      },
      onState: (_state, detail) => (entry.detail = detail),
    });
    this.phones.set(id, entry);
    return entry.link;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
