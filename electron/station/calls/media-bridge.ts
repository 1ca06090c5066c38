/**
 * Carries one call's audio between its RTP media session and the phone's agent, without touching it: the
 * media worker of the session opens the call's audio connection through the phone's forward and moves
 * the frames itself (media/worker-phone-audio.ts). This side only says where the phone is, follows the
 * forward when the device supervisor makes a new one (an adb restart), and ends the audio with the call,
 * its recording too (media/call-recording.ts) when the call is recorded.
 */
import type { MediaSessionHandle } from '../media/media-engine';
import type { PhoneAudioCounts } from '../media/phone-audio-link';
import type { RecordingSummary } from '../media/call-recording';
import type { Logger } from '../util/log';
import type { PhonePort } from './call';

export class MediaBridge {
  private offLink: (() => void) | null = null;
  private bridged = false;
  private stopped = false;
  private final: PhoneAudioCounts | null = null;
  private recording: Promise<void> | null = null;
  /** What the recording holds, once the bridge stopped (null: not recorded, or it failed). */
  recorded: RecordingSummary | null = null;

  constructor(
    private readonly port: PhonePort,
    private readonly media: MediaSessionHandle,
    private readonly callId: number,
    private readonly log: Logger,
  ) {}

  /** Frames carried each way (the worker's latest figures; final once the bridge stopped). */
  get counts(): PhoneAudioCounts {
    return this.final ?? this.media.phone?.counts ?? { toPhone: 0, fromPhone: 0, connects: 0 };
  }

  start(): void {
    this.offLink = this.port.on('link', () => this.follow());
    this.follow();
  }

  /** Records both sides of the call's audio to `file` until the bridge stops; rejects when the file cannot be made. */
  record(file: string): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the call has ended'));
    this.recording ??= this.media.record(file);
    return this.recording;
  }

  /** Stops carrying audio: the worker sends audio-stop and closes the call's audio connection. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.offLink?.();
    this.offLink = null;
    const recording = this.recording?.then(
      () => this.media.stopRecording(),
      () => null,
    );
    if (this.bridged) this.final = await this.media.unbridgePhone().catch(() => null);
    this.recorded = (await recording?.catch((err: Error) => {
      this.log.warn(`call ${this.callId}: its recording did not close: ${err.message}`);
      return null;
    })) ?? null;
  }

  /** A control link is (again) open: bridge through its forward, or move the audio connection to it. */
  private follow(): void {
    const forward = this.port.forward;
    if (!forward || this.stopped) return;
    if (this.bridged) return this.media.setPhonePort(forward.port);
    this.bridged = true;
    this.media.bridgePhone({ port: forward.port, software: forward.software, callId: this.callId }).catch((err: Error) => {
      this.log.warn(`call ${this.callId}: the media worker could not bridge the phone's audio: ${err.message}`);
    });
  }
}
