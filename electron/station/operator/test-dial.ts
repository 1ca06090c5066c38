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
 */
import { ApiError } from '../api/contract';
import type { AudioDevice, EchoTestResult, StationInfo, TestDialView } from '../api/types';
import type { Call } from '../calls/call';
import type { StationConfig } from '../config/schema';
import type { Line } from '../lines/line';
import { createLogger } from '../util/log';
import { openHeadset, type Headset, type OpenHeadsetOptions } from '../../../native-audio/local-audio';
import { listAudioDevices, localAudioInstalled } from '../../../native-audio/local-audio-devices';
import { PhoneAudio } from '../calls/phone-audio';
import type { MediaEngine } from '../media/media-engine';
import { checkLineFree, hangUpPhoneCall, normaliseNumber, placePhoneCall, type PhoneCallDeps } from './phone-call';
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
  /** Opens the headset; the PC's sound devices through naudiodon by default. */
  openHeadset?(options: OpenHeadsetOptions): Headset;
}

interface Session {
  call: Call;
  line: Line;
  headset: Headset | null;
  audioProblem: string | null;
  muted: boolean;
  audio: PhoneAudio | null;
  levels: { mic: number | null; speaker: number | null };
  timer: NodeJS.Timeout;
}

export class TestDial {
  private session: Session | null = null;
  private lastView: TestDialView | null = null;
  private audio: StationInfo['audio'];
  private readonly log = createLogger('test-dial');

  constructor(private readonly deps: TestDialDeps) {
    this.audio = localAudioInstalled();
  }

  /** Whether test dial can use the PC's sound devices (refined once a device was opened or listed). */
  get audioStatus(): StationInfo['audio'] {
    return this.audio;
  }

  view(): TestDialView | null {
    return this.lastView;
  }

  /** Places the test call; refused (ApiError) while another runs, for a busy or unready line, or a bad number. */
  start(lineId: string, rawNumber: string): TestDialView {
    const active = this.session;
    if (active && !active.call.ended) {
      throw new ApiError(`a test dial is already in progress (line ${active.line.config.id} to +${active.call.number}): hang it up first`);
    }
    const number = normaliseNumber(rawNumber);
    const line = checkLineFree(this.deps.line(lineId), lineId);
    const { headset, problem } = this.openHeadset();
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
    session = { call, line, headset, audioProblem: problem, muted: false, audio: null, levels: { mic: null, speaker: null }, timer: setInterval(() => this.tick(), LEVELS_EVERY_MS) };
    this.session = session;
    headset?.onError((err) => {
      this.log.warn(`headset failed during the test dial: ${err.message}`);
      if (this.session === session) session.audioProblem = err.message;
      this.push();
    });
    headset?.start();
    call.on('change', (v) => (v.state === 'ended' ? this.ended(session) : this.push()));
    log.info(`test dial to +${number}${problem ? ` without headset (${problem})` : ''}`);
    this.push();
    return this.lastView!;
  }

  mute(muted: boolean): TestDialView {
    const s = this.activeSession('mute');
    s.muted = muted;
    if (s.headset) s.headset.muted = muted;
    this.push();
    return this.lastView!;
  }

  hangUp(): { hungUp: boolean } {
    return { hungUp: hangUpPhoneCall(this.activeSession('hang up').call) };
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
  devices(): AudioDevice[] {
    try {
      const devices = listAudioDevices();
      const ok = devices.some((d) => d.inputs > 0) && devices.some((d) => d.outputs > 0);
      this.setAudio(ok ? { available: true, reason: null } : { available: false, reason: 'no sound device with both a microphone and a speaker side found' });
      return devices;
    } catch (err) {
      this.setAudio({ available: false, reason: (err as Error).message });
      throw new ApiError(`audio.devices: ${(err as Error).message}`);
    }
  }

  /** Ends a running test dial (station shutdown) and waits for the headset to close. */
  async stop(): Promise<void> {
    const s = this.session;
    if (!s) return;
    if (!s.call.ended) s.call.finish(s.call.answeredAt ? 'answered' : 'local-hangup', null, 'station');
    s.call.hangUpPhone();
    clearInterval(s.timer);
    await s.headset?.close();
    this.session = null;
  }

  private activeSession(what: string): Session {
    const s = this.session;
    if (!s || s.call.ended) throw new ApiError(`no test dial is in progress to ${what}`);
    return s;
  }

  private openHeadset(): { headset: Headset | null; problem: string | null } {
    const { headset: choice } = this.deps.config().media;
    try {
      const headset = (this.deps.openHeadset ?? openHeadset)({ input: choice?.input, output: choice?.output });
      this.setAudio({ available: true, reason: null });
      return { headset, problem: null };
    } catch (err) {
      const problem = (err as Error).message;
      this.log.warn(`test dial without headset: ${problem}`);
      this.setAudio({ available: false, reason: problem });
      return { headset: null, problem };
    }
  }

  /** WhatsApp answered: the headset's mic goes to the phone, the phone's audio to the speaker. */
  private connected(s: Session): void {
    const audio = new PhoneAudio(s.line.port, s.call.phoneCallId, s.call.log, (frame) => s.headset?.play(frame));
    audio.start();
    s.audio = audio;
    s.headset?.onMic((frame) => audio.send(frame));
  }

  private ended(s: Session): void {
    clearInterval(s.timer);
    s.audio?.stop();
    const counts = s.headset ? ` (headset: ${JSON.stringify(s.headset.counts)})` : '';
    this.log.info(`test dial to +${s.call.number} on line ${s.line.config.id} ended: ${s.call.outcome}${counts}`);
    void s.headset?.close();
    this.push(s);
  }

  private tick(): void {
    const s = this.session;
    if (!s?.headset || s.call.ended) return;
    const l = s.headset.takeLevels();
    s.levels = { mic: l.micDbfs, speaker: l.speakerDbfs };
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
