/**
 * One call's audio connection to the phone's agent (PROTOCOL.md, "Channels"): a TCP connection through
 * the same `adb forward` as the control connection, named the audio channel, that carries the call's
 * 20 ms PCM frames both ways. It runs in the media worker of the call's RTP session, so the phone's PCM
 * and RTP meet there and no frame waits for the station's control thread.
 *
 * It keeps itself up for as long as the call has audio: a connection that drops, garbles a frame or stops
 * answering pings is replaced by a new one (after a short backoff) which starts the audio again with
 * `audio-start`. The forward's port may change meanwhile (the adb server was restarted and the device
 * supervisor made a new forward): `setPort` moves the link to it.
 *
 *   connecting --agent hello ok--> open --closed | garbage | pings unanswered | setPort--> waiting --backoff--> connecting
 *        \--refused | no hello | bad hello--> waiting                                       close() from any state --> closed
 */
import net from 'node:net';
import { FrameDecoder, ProtocolError, encodeMessage, type AgentMessage } from '../../../phone-agent/protocol';
import { bufferToPcm, pcmToBuffer } from '../../../native-audio/pcm';
import { agentHelloProblem, stationGreeting } from '../devices/agent-link';
import { Backoff } from '../util/backoff';
import type { Logger } from '../util/log';
import { PingWatch } from '../util/ping-watch';

export type PhoneAudioLinkState = 'connecting' | 'open' | 'waiting' | 'closed';

export interface PhoneAudioLinkOptions {
  /** The forward's local port (the device supervisor's current forward). */
  port: number;
  host?: string;
  /** The phone's id of the call whose audio this connection carries. */
  callId: number;
  /** The station's software string for its hello. */
  software: string;
  log: Logger;
  /** One frame of the phone's downlink (the WhatsApp caller's voice), 16 kHz s16 mono, with its header. */
  onFrame(frame: Int16Array, header: { seq: number; timestamp: number }): void;
  /** Every state change, with the reason (for the call's record and the tests). */
  onState?(state: PhoneAudioLinkState, detail: string): void;
  /** Acknowledge every downlink frame with `audio-ack` (PROTOCOL.md, "Audio"); default true. */
  ack?: boolean;
  helloTimeoutMs?: number;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
}

export interface PhoneAudioCounts {
  toPhone: number;
  fromPhone: number;
  /** Audio connections opened (1 for a call that never lost its connection). */
  connects: number;
}

const FRAME_SAMPLES = 320;

export class PhoneAudioLink {
  state: PhoneAudioLinkState = 'connecting';
  readonly counts: PhoneAudioCounts = { toPhone: 0, fromPhone: 0, connects: 0 };
  private socket: net.Socket | null = null;
  private port: number;
  private seq = 0;
  private timestamp = 0;
  private retry: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private helloTimer: NodeJS.Timeout | null = null;
  private pings: PingWatch | null = null;
  private nonce = 0;
  private readonly backoff = new Backoff(100, 2_000);

  constructor(private readonly opts: PhoneAudioLinkOptions) {
    this.port = opts.port;
    this.connect();
  }

  /** The forward moved (a new adb server, a new forward): reconnect through the new port. */
  setPort(port: number): void {
    if (port === this.port || this.state === 'closed') return;
    this.port = port;
    this.backoff.reset();
    this.drop(`the forward moved to port ${port}`, 0);
  }

  /** Sends one frame to the phone (what the WhatsApp caller hears); false while no audio connection is open. */
  send(frame: Int16Array): boolean {
    const open = this.state === 'open' && this.socket !== null;
    if (open) this.socket!.write(encodeMessage({ type: 'audio', seq: this.seq, timestamp: this.timestamp, pcm: pcmToBuffer(frame) }));
    if (open) this.counts.toPhone++;
    this.seq = (this.seq + 1) >>> 0;
    this.timestamp = (this.timestamp + (frame.length || FRAME_SAMPLES)) >>> 0;
    return open;
  }

  /**
   * Ends the call's audio: the connection closes and stays closed. Closing is what stops the agent's
   * audio (PROTOCOL.md, "Audio"); no audio-stop, which would name a call the agent has often ended already.
   */
  close(reason = 'the call ended'): void {
    if (this.state === 'closed') return;
    this.socket?.end();
    this.stopTimers();
    this.socket = null;
    this.set('closed', reason);
  }

  private set(state: PhoneAudioLinkState, detail: string): void {
    this.state = state;
    this.opts.onState?.(state, detail);
  }

  private write(message: AgentMessage): void {
    this.socket?.write(encodeMessage(message));
  }

  private connect(): void {
    const { host = '127.0.0.1', helloTimeoutMs = 2_000 } = this.opts;
    const decoder = new FrameDecoder();
    const socket = net.connect({ host, port: this.port });
    this.socket = socket;
    socket.setNoDelay(true);
    this.set('connecting', `audio connection to port ${this.port}`);
    this.helloTimer = setTimeout(() => this.drop(`the agent did not say hello within ${helloTimeoutMs} ms`), helloTimeoutMs);
    let greeted = false;
    socket.on('connect', () => socket.write(stationGreeting(this.opts.software, 'audio')));
    socket.on('error', (err) => socket === this.socket && this.drop(`audio connection failed: ${err.message}`));
    socket.on('close', () => socket === this.socket && this.drop('the agent closed the audio connection'));
    socket.on('data', (chunk: Buffer) => {
      if (socket !== this.socket) return;
      let messages: AgentMessage[];
      try {
        messages = decoder.push(chunk);
      } catch (err) {
        return this.drop(`garbled frame on the audio connection: ${err instanceof ProtocolError ? err.message : String(err)}`);
      }
      for (const m of messages) {
        if (socket !== this.socket) return;
        if (!greeted) {
          const problem = agentHelloProblem(m);
          if (problem) return this.drop(problem.message);
          greeted = true;
          this.opened();
        } else this.receive(m);
      }
    });
  }

  private opened(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
    this.counts.connects++;
    this.backoff.reset();
    this.write({ type: 'audio-start', callId: this.opts.callId });
    this.set('open', `audio of call ${this.opts.callId} on port ${this.port}`);
    const { pingIntervalMs = 1_000, pingTimeoutMs = 3_000 } = this.opts;
    const pings = (this.pings = new PingWatch(pingIntervalMs, pingTimeoutMs));
    this.pingTimer = setInterval(() => {
      if (pings.silent) return this.drop(`the agent did not answer pings for ${pingTimeoutMs / 1000} s`);
      this.nonce = (this.nonce + 1) >>> 0;
      pings.sent();
      this.write({ type: 'ping', nonce: this.nonce });
    }, pingIntervalMs);
    this.pingTimer.unref();
  }

  private receive(m: AgentMessage): void {
    if (m.type === 'audio') {
      // Acknowledged at once, so the adb server never holds the next downlink frame (PROTOCOL.md, "Audio").
      if (this.opts.ack !== false) this.write({ type: 'audio-ack', seq: m.seq });
      this.counts.fromPhone++;
      this.opts.onFrame(bufferToPcm(m.pcm), { seq: m.seq, timestamp: m.timestamp });
    } else if (m.type === 'pong') this.pings?.answered();
    else if (m.type === 'error') this.opts.log.warn(`agent error ${m.code} on the audio connection of call ${this.opts.callId}: ${m.message}`);
  }

  /** The connection is gone: try again after the backoff (or `delayMs`), unless the link was closed. */
  private drop(reason: string, delayMs = this.backoff.next()): void {
    if (this.state === 'closed') return;
    this.stopTimers();
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    this.opts.log.info(`audio of call ${this.opts.callId}: ${reason}; reconnecting in ${delayMs} ms`);
    this.set('waiting', reason);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.state === 'waiting') this.connect();
    }, delayMs);
  }

  private stopTimers(): void {
    for (const t of [this.retry, this.pingTimer, this.helloTimer]) if (t) clearTimeout(t);
    this.retry = this.pingTimer = this.helloTimer = null;
  }
}
