/**
 * Test support: a minimal station end of the agent link (connect, hello, send, wait for a message), used
 * by the simulated agent's tests. The real station side lives in electron/station/devices.
 */
import net from 'node:net';
import {
  FrameDecoder,
  PROTOCOL_VERSION,
  ProtocolError,
  encodeMessage,
  type AgentMessage,
  type Channel,
  type MessageOf,
  type MessageType,
} from '../../protocol';

export class TestStation {
  /** Messages received and not yet taken by `next`. */
  readonly inbox: AgentMessage[] = [];
  /** Set when the agent sent bytes the decoder rejected. */
  protocolError: ProtocolError | null = null;
  readonly closed: Promise<void>;
  private readonly decoder = new FrameDecoder();
  private wake: (() => void) | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      if (this.protocolError) return;
      try {
        this.inbox.push(...this.decoder.push(chunk));
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        this.protocolError = err;
      }
      this.wake?.();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.wake?.());
  }

  static connect(port: number): Promise<TestStation> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new TestStation(socket)));
      socket.once('error', reject);
    });
  }

  send(message: AgentMessage): void {
    this.socket.write(encodeMessage(message));
  }

  /**
   * Waits for the agent's hello and answers with ours and the channel this connection carries. When the
   * versions match, a ping round trip then confirms the agent has taken both (events before that are not
   * sent to us). `channel` null sends no channel message (a test of the handshake rule).
   */
  async handshake(version = PROTOCOL_VERSION, channel: Channel | null = 'control'): Promise<MessageOf<'hello'>> {
    const hello = await this.next('hello');
    this.send({ type: 'hello', version, software: 'test-station/1' });
    if (channel) this.send({ type: 'channel', channel });
    if (hello.version === version && channel) {
      this.send({ type: 'ping', nonce: 0x4e110 });
      await this.next('pong');
    }
    return hello;
  }

  /** The first message of the type (earlier messages of other types stay in the inbox). */
  async next<T extends MessageType>(type: T, timeoutMs = 3000): Promise<MessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((m) => m.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as MessageOf<T>;
      const left = deadline - Date.now();
      if (left <= 0 || this.socket.destroyed) {
        throw new Error(`no '${type}' from the agent within ${timeoutMs} ms (inbox: ${this.inbox.map((m) => m.type).join(', ') || 'empty'})`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => (clearTimeout(timer), resolve());
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
