/**
 * A call's PCM with the phone's agent: 20 ms frames of 16 kHz mono s16le each way, whatever the other
 * end is (a SIP media session through media-bridge.ts, the operator's headset, the echo test's signal).
 * It (re)starts the agent's audio whenever a link opens, so a link reconnect loses only the audio in
 * between.
 */
import { bufferToPcm, pcmToBuffer } from '../../../native-audio/pcm';
import type { AgentPort } from '../lines/agent-port';

const FRAME_SAMPLES = 320;

export class PhoneAudio {
  private seq = 0;
  private timestamp = 0;
  private offs: Array<() => void> = [];
  readonly counts = { toPhone: 0, fromPhone: 0 };

  constructor(
    private readonly port: AgentPort,
    private readonly callId: number,
    private readonly onFrame: (frame: Int16Array) => void,
  ) {}

  start(): void {
    this.port.send({ type: 'audio-start', callId: this.callId });
    this.offs.push(
      this.port.on('link', () => this.port.send({ type: 'audio-start', callId: this.callId })),
      this.port.on('message', (m) => {
        if (m.type !== 'audio') return;
        this.counts.fromPhone++;
        this.onFrame(bufferToPcm(m.pcm));
      }),
    );
  }

  /** Sends one frame to the phone (WhatsApp's microphone); false while the phone is unreachable. */
  send(frame: Int16Array): boolean {
    const sent = this.port.send({ type: 'audio', seq: this.seq, timestamp: this.timestamp, pcm: pcmToBuffer(frame) });
    if (sent) this.counts.toPhone++;
    this.seq = (this.seq + 1) >>> 0;
    this.timestamp = (this.timestamp + (frame.length || FRAME_SAMPLES)) >>> 0;
    return sent;
  }

  /** Stops listening. The call's hang-up stops the phone's audio, so no audio-stop is sent. */
  stop(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }
}
