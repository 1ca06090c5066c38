/**
 * Carries one call's audio between its RTP media session and the phone's agent: decoded network PCM
 * (16 kHz, 20 ms) goes to the agent as `audio` frames, the agent's frames go to the media session to be
 * encoded. The phone side (frames, sequence numbers, restarting the agent's audio when a link reopens,
 * so a call survives an agent link reconnect with only the audio in between lost) is phone-audio.ts.
 */
import type { MediaSessionHandle } from '../media/media-engine';
import type { AgentPort } from '../lines/agent-port';
import { PhoneAudio } from './phone-audio';

export class MediaBridge {
  private readonly phone: PhoneAudio;
  private off: (() => void) | null = null;

  constructor(
    port: AgentPort,
    private readonly media: MediaSessionHandle,
    callId: number,
  ) {
    // Each frame from the phone is a buffer of its own: the media engine transfers it to its worker.
    this.phone = new PhoneAudio(port, callId, (frame) => media.pushPcm(frame));
  }

  /** Frames carried each way, for the call record and tests. */
  get counts(): { toPhone: number; fromPhone: number } {
    return this.phone.counts;
  }

  start(): void {
    this.phone.start();
    this.off = this.media.on('pcm', (frame) => void this.phone.send(frame));
  }

  /** Stops carrying audio. The call is ending: the hang-up stops the phone's audio, so no audio-stop is sent. */
  stop(): void {
    this.off?.();
    this.off = null;
    this.phone.stop();
  }
}
