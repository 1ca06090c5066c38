/**
 * A call's PCM with the phone's agent on the control thread, for the one end that lives there: the
 * operator's PC headset (test dial), whose sound library runs on this thread. It opens the call's own
 * audio connection (media/phone-audio-link.ts) through the phone's forward, follows the forward when the
 * control link reconnects, and carries 20 ms frames of 16 kHz mono each way. Calls with a SIP leg never
 * use it: their media worker carries their audio (media-bridge.ts), and so does the line echo test.
 */
import type { AgentPort } from '../lines/agent-port';
import { PhoneAudioLink, type PhoneAudioCounts } from '../media/phone-audio-link';
import type { Logger } from '../util/log';

export class PhoneAudio {
  private link: PhoneAudioLink | null = null;
  private offs: Array<() => void> = [];

  constructor(
    private readonly port: AgentPort,
    private readonly callId: number,
    private readonly log: Logger,
    private readonly onFrame: (frame: Int16Array) => void,
  ) {}

  get counts(): PhoneAudioCounts {
    return this.link?.counts ?? { toPhone: 0, fromPhone: 0, connects: 0 };
  }

  start(): void {
    this.offs.push(this.port.on('link', () => this.follow()));
    this.follow();
  }

  /** Sends one frame to the phone (WhatsApp's microphone); false while the audio connection is down. */
  send(frame: Int16Array): boolean {
    return this.link?.send(frame) ?? false;
  }

  /** Ends the call's audio (audio-stop) and closes its connection. */
  stop(): void {
    for (const off of this.offs) off();
    this.offs = [];
    this.link?.close();
  }

  private follow(): void {
    const forward = this.port.forward;
    if (!forward) return;
    if (this.link) return this.link.setPort(forward.port);
    this.link = new PhoneAudioLink({ port: forward.port, software: forward.software, callId: this.callId, log: this.log, onFrame: this.onFrame });
  }
}
