/**
 * Carries one call's audio between its RTP media session and the phone's agent, without touching it: the
 * media worker of the session opens the call's audio connection through the phone's forward and moves
 * the frames itself (media/worker-phone-audio.ts). This side only says where the phone is, follows the
 * forward when the device supervisor makes a new one (an adb restart), and ends the audio with the call.
 */
import type { MediaSessionHandle } from '../media/media-engine';
import type { PhoneAudioCounts } from '../media/phone-audio-link';
import type { Logger } from '../util/log';
import type { PhonePort } from './call';

export class MediaBridge {
  private offLink: (() => void) | null = null;
  private bridged = false;
  private stopped = false;
  private final: PhoneAudioCounts | null = null;

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

  /** Stops carrying audio: the worker sends audio-stop and closes the call's audio connection. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.offLink?.();
    this.offLink = null;
    if (!this.bridged) return;
    this.final = await this.media.unbridgePhone().catch(() => null);
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
