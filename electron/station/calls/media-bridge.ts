/**
 * Carries one call's audio between its RTP media session and the phone's agent: decoded network PCM
 * (16 kHz, 20 ms) goes to the agent as `audio` frames, the agent's frames go to the media session to be
 * encoded. It also (re)starts the agent's audio for the call whenever a link opens, so a call survives
 * an agent link reconnect with only the audio in between lost.
 */
import type { MediaSessionHandle } from '../media/media-engine';
import type { AgentPort } from '../lines/agent-port';

const FRAME_SAMPLES = 320;

export class MediaBridge {
  private seq = 0;
  private timestamp = 0;
  private offs: Array<() => void> = [];
  /** Frames carried each way, for the call record and tests. */
  readonly counts = { toPhone: 0, fromPhone: 0 };

  constructor(
    private readonly port: AgentPort,
    private readonly media: MediaSessionHandle,
    private readonly callId: number,
  ) {}

  start(): void {
    this.port.send({ type: 'audio-start', callId: this.callId });
    this.offs.push(
      this.port.on('link', () => this.port.send({ type: 'audio-start', callId: this.callId })),
      this.media.on('pcm', (frame) => this.toPhone(frame)),
      this.port.on('message', (m) => {
        if (m.type !== 'audio') return;
        this.counts.fromPhone++;
        // Copy into a buffer of its own: the media engine transfers it to its worker.
        const samples = new Int16Array(m.pcm.length >> 1);
        for (let i = 0; i < samples.length; i++) samples[i] = m.pcm.readInt16LE(i * 2);
        this.media.pushPcm(samples);
      }),
    );
  }

  /** Stops carrying audio. The call is ending: the hang-up stops the phone's audio, so no audio-stop is sent. */
  stop(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }

  private toPhone(frame: Int16Array): void {
    const pcm = Buffer.allocUnsafe(frame.length * 2);
    for (let i = 0; i < frame.length; i++) pcm.writeInt16LE(frame[i]!, i * 2);
    if (this.port.send({ type: 'audio', seq: this.seq, timestamp: this.timestamp, pcm })) this.counts.toPhone++;
    this.seq = (this.seq + 1) >>> 0;
    this.timestamp = (this.timestamp + (frame.length || FRAME_SAMPLES)) >>> 0;
  }
}
