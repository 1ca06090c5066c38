/**
 * Test dial: the operator picks a line and a WhatsApp number, the line's phone places the WhatsApp
 * call, and the operator talks through the PC headset (mic -> phone uplink, phone downlink ->
 * speaker), with mute and hang-up. One test dial at a time.
 *
 * The call is an ordinary call of the line (the grid shows it, the call log records it with direction
 * 'test-dial'); what the console's test-dial panel shows is pushed through `publish`: on every state
 * change and with the headset levels about every 200 ms while the call lasts. The last view (state
 * 'ended', with its outcome) stays until the next test dial.
 *
 * Without a usable sound device the call still goes through, carrying silence, and the view's
 * `audioProblem` says why.
 *
 * The headset's audio never passes this thread: its device streams and the call's audio connection
 * run in the headset worker (headset-worker.ts), which sends back only levels, failures and counts.
 */
import { ApiError } from '../api/contract';
import type { AudioDevice, EchoTestResult, StationInfo, TestDialView } from '../api/types';
import type { Call } from '../calls/call';
import type { StationConfig } from '../config/schema';
import type { Line } from '../lines/line';
import { createLogger } from '../util/log';
import { localAudioInstalled } from '../../../native-audio/local-audio-devices';
import type { MediaEngine } from '../media/media-engine';
import { HeadsetHost } from './headset-host';
import { checkLineFree, normaliseNumber, placePhoneCall, type PhoneCallDeps } from './phone-call';
import { runEchoTest } from './echo-test-call';

const LEVELS_EVERY_MS = 200;

export interface TestDialDeps {
  devices: PhoneCallDeps['devices'];
  line(id: string): Line | undefined;
  /** The current configuration (settings.save replaces it): routing timeouts, headset devices, echo contact. */
  config(): StationConfig;
  /** The call exists and is on the line: write its record. */
  started(call: Call, line: Line): void;
  publish(view: TestDialView | null): void;
  /** What the PC's sound devices allow, whenever that becomes known or changes (StationInfo.audio). */
  audioStatus?(status: StationInfo['audio']): void;
  /** The media plane: the line echo test runs in one of its workers. */
  media(): MediaEngine | null;
}

interface Session {
  call: Call;
  line: Line;
  /** Whether the headset is open in the worker (false: the call carries silence, `audioProblem` says why). */
  headset: boolean;
  audioProblem: string | null;
  muted: boolean;
  levels: { mic: number | null; speaker: number | null };
  offs: Array<() => void>;
}

/** A test dial between its start and its call being placed (the headset opens meanwhile). */
interface Starting {
  lineId: string;
  number: string;
  /** The operator hung up before the call was placed (while the headset opened). */
  hungUp: boolean;
}

export class TestDial {
  private session: Session | null = null;
  private starting: Starting | null = null;
  private lastView: TestDialView | null = null;
  private audio: StationInfo['audio'];
  private readonly log = createLogger('test-dial');
  /** The headset's thread: its sound devices and the test dial's audio connection. */
  readonly headset = new HeadsetHost(this.log);

  constructor(private readonly deps: TestDialDeps) {
    this.audio = localAudioInstalled();
    this.headset.on('levels', (l) => this.levels(l.micDbfs, l.speakerDbfs));
    this.headset.on('failed', (message) => this.headsetFailed(message));
  }

  /** Whether test dial can use the PC's sound devices (refined once a device was opened or listed). */
  get audioStatus(): StationInfo['audio'] {
    return this.audio;
  }

  view(): TestDialView | null {
    return this.lastView;
  }

  /**
   * Opens the headset, then places the test call; refused (ApiError) while another runs, for a busy or
   * unready line, or a bad number. A headset that cannot be opened does not refuse it: the view's
   * `audioProblem` says why (naming the devices there are).
   */
  async start(lineId: string, rawNumber: string): Promise<TestDialView> {
    const active = this.starting ?? (this.session && !this.session.call.ended ? { lineId: this.session.line.config.id, number: this.session.call.number } : null);
    if (active) throw new ApiError(`a test dial is already in progress (line ${active.lineId} to +${active.number}): hang it up first`);
    const number = normaliseNumber(rawNumber);
    checkLineFree(this.deps.line(lineId), lineId);
    const starting: Starting = { lineId, number, hungUp: false };
    this.starting = starting;
    let opened: { headset: boolean; problem: string | null };
    try {
      opened = await this.openHeadset(lineId);
    } finally {
      this.starting = null;
    }
    let line: Line;
    try {
      if (starting.hungUp) throw new ApiError(`the test dial to +${number} on line ${lineId} was hung up before the call was placed`);
      // The line may have taken a call while the headset opened.
      line = checkLineFree(this.deps.line(lineId), lineId);
    } catch (err) {
      if (opened.headset) await this.headset.close().catch(() => null);
      throw err;
    }
    const config = this.deps.config();
    const log = createLogger('test-dial', { line: line.config.id });
    let session: Session | null = null;
    const call = placePhoneCall(
      { devices: this.deps.devices, log, offlineTimeoutS: config.routing.offlineTimeoutS, started: this.deps.started },
      line,
      'test-dial',
      number,
      () => session && this.connected(session),
    );
    session = { call, line, headset: opened.headset, audioProblem: opened.problem, muted: false, levels: { mic: null, speaker: null }, offs: [] };
    this.session = session;
    call.on('change', (v) => (v.state === 'ended' ? this.ended(session) : this.push()));
    log.info(`test dial to +${number}${opened.problem ? ` without headset (${opened.problem})` : ''}`);
    this.push();
    return this.lastView!;
  }

  mute(muted: boolean): TestDialView {
    const s = this.activeSession('mute');
    s.muted = muted;
    // Muting happens in the worker, before the level meter: the phone and the panel both get silence.
    if (s.headset) this.headset.mute(muted);
    this.push();
    return this.lastView!;
  }

  hangUp(): { hungUp: boolean } {
    // Hung up while the headset still opens: no call is placed, and the headset is closed again.
    if (this.starting && !this.starting.hungUp) {
      this.starting.hungUp = true;
      this.log.info(`test dial to +${this.starting.number} hung up before the call was placed`);
      return { hungUp: true };
    }
    // The phone ends the call; if it does not confirm in time, the call is ended anyway (whatsapp-leg.ts).
    return { hungUp: this.activeSession('hang up').call.hangUp() };
  }

  /** Runs the line echo test (another call of the line, not the headset's); `number` defaults to routing.echoContact. */
  async echoTest(lineId: string, number?: string): Promise<EchoTestResult> {
    const config = this.deps.config();
    const target = number ?? config.routing.echoContact;
    if (!target) throw new ApiError('line.echoTest: no number given and no echo contact configured (routing.echoContact)');
    const line = checkLineFree(this.deps.line(lineId), lineId);
    const media = this.deps.media();
    if (!media) throw new ApiError('line.echoTest: the media plane is not running');
    const log = createLogger('echo-test', { line: lineId });
    return runEchoTest({ devices: this.deps.devices, log, offlineTimeoutS: config.routing.offlineTimeoutS, started: this.deps.started }, line, normaliseNumber(target), media);
  }

  /** The PC's sound devices for the headset choice; refused naming the reason when there is no sound library. */
  async devices(): Promise<AudioDevice[]> {
    try {
      const devices = await this.headset.devices();
      const ok = devices.some((d) => d.inputs > 0) && devices.some((d) => d.outputs > 0);
      this.setAudio(ok ? { available: true, reason: null } : { available: false, reason: 'no sound device with both a microphone and a speaker side found' });
      return devices;
    } catch (err) {
      this.setAudio({ available: false, reason: (err as Error).message });
      throw new ApiError(`audio.devices: ${(err as Error).message}`);
    }
  }

  /** Ends a running test dial (station shutdown), closes the headset and ends its worker. */
  async stop(): Promise<void> {
    const s = this.session;
    if (s) {
      s.call.leg?.drop();
      if (!s.call.ended) s.call.finish(s.call.answeredAt ? 'answered' : 'local-hangup', null, 'station');
      this.session = null;
    }
    await this.headset.stop();
  }

  private activeSession(what: string): Session {
    const s = this.session;
    if (!s || s.call.ended) throw new ApiError(`no test dial is in progress to ${what}`);
    return s;
  }

  private async openHeadset(lineId: string): Promise<{ headset: boolean; problem: string | null }> {
    const { headset: choice } = this.deps.config().media;
    try {
      const opened = await this.headset.open(lineId, { input: choice?.input, output: choice?.output }, LEVELS_EVERY_MS);
      this.log.info(`headset open: input "${opened.input.name}" at ${opened.input.rate} Hz, output "${opened.output.name}" at ${opened.output.rate} Hz`);
      this.setAudio({ available: true, reason: null });
      return { headset: true, problem: null };
    } catch (err) {
      const problem = (err as Error).message;
      this.log.warn(`test dial without headset: ${problem}`);
      this.setAudio({ available: false, reason: problem });
      return { headset: false, problem };
    }
  }

  /**
   * WhatsApp answered: the worker opens the call's audio connection through the phone's forward (now, or
   * when the control link is back) and follows the forward when the device supervisor makes a new one.
   */
  private connected(s: Session): void {
    if (!s.headset) return;
    let bridged = false;
    const follow = (): void => {
      const forward = s.line.port.forward;
      if (!forward || s.call.ended) return;
      if (bridged) return this.headset.setPhonePort(forward.port);
      bridged = true;
      this.headset.bridge({ port: forward.port, software: forward.software, callId: s.call.phoneCallId }).catch((err: Error) => this.headsetFailed(err.message));
    };
    s.offs.push(s.line.port.on('link', follow));
    follow();
  }

  private ended(s: Session): void {
    for (const off of s.offs) off();
    s.offs = [];
    this.push(s);
    const done = `test dial to +${s.call.number} on line ${s.line.config.id} ended: ${s.call.outcome}`;
    if (!s.headset) return this.log.info(done);
    this.headset.close().then(
      (closed) => this.log.info(`${done}${closed ? ` (headset: ${JSON.stringify(closed.headset)}, audio connection: ${JSON.stringify(closed.phone)})` : ''}`),
      (err: Error) => this.log.warn(`${done}; closing the headset failed: ${err.message}`),
    );
  }

  private levels(mic: number | null, speaker: number | null): void {
    const s = this.session;
    if (!s?.headset || s.call.ended) return;
    s.levels = { mic, speaker };
    this.push();
  }

  private headsetFailed(message: string): void {
    const s = this.session;
    if (!s?.headset || s.call.ended) return;
    this.log.warn(`headset failed during the test dial: ${message}`);
    s.audioProblem = message;
    this.push();
  }

  private push(s: Session | null = this.session): void {
    if (!s) return;
    const v = s.call.view();
    this.lastView = {
      lineId: s.line.config.id,
      number: s.call.number,
      callId: s.call.id,
      state: v.state,
      muted: s.muted,
      startedAt: v.startedAt,
      answeredAt: v.answeredAt,
      levelMicDbfs: s.call.ended ? null : s.levels.mic,
      levelSpeakerDbfs: s.call.ended ? null : s.levels.speaker,
      audioProblem: s.audioProblem,
      outcome: v.outcome,
    };
    this.deps.publish(this.lastView);
  }

  private setAudio(status: StationInfo['audio']): void {
    if (status.available === this.audio.available && status.reason === this.audio.reason) return;
    this.audio = status;
    this.deps.audioStatus?.(status);
  }
}
