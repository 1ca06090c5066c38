/**
 * One station connection between a virtual phone's abstract socket and the Java agent instance's
 * loopback port. It forwards bytes unchanged both ways; it reads the station's side only to learn the
 * channel the connection carries (the station's second frame), and counts the agent's frame boundaries
 * so the garbled-frame test hook inserts its broken frame between two whole frames.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { FrameDecoder, HEADER_BYTES, type Channel } from '../../protocol';

/** How long a station side may stay open after the agent closed its connection. */
const CLOSE_GRACE_MS = 1000;

export class StationPipe {
  channel: Channel | null = null;
  private readonly stationFrames = new FrameDecoder();
  /** Bytes of the agent's current frame still to come; 0 at a frame boundary. */
  private agentRemaining = 0;
  private agentHeader: Buffer = Buffer.alloc(0);
  private agentFrames = 0;
  private garbage: Buffer | null = null;
  private closed = false;

  constructor(
    private readonly station: Duplex,
    private readonly agent: Socket,
    private readonly onClose: () => void,
  ) {
    station.on('data', (chunk: Buffer) => {
      this.learnChannel(chunk);
      agent.write(chunk);
    });
    agent.on('data', (chunk: Buffer) => this.toStation(chunk));
    station.on('end', () => agent.end());
    agent.on('end', () => station.end());
    // The agent closing is a polite close: what it wrote last (a call-ended, an error) still reaches the
    // station, which is only cut if it does not close its side within a second.
    agent.on('close', () => {
      station.end();
      setTimeout(() => station.destroy(), CLOSE_GRACE_MS).unref();
      this.finish();
    });
    station.on('close', () => this.destroy());
    station.on('error', () => this.destroy());
    agent.on('error', () => this.destroy());
  }

  /** The next agent frame boundary after the hello gets this broken frame. */
  garbleNextFrame(frame: Buffer): void {
    this.garbage = frame;
  }

  /** Cuts both sides at once (the agent process died, or one side failed). */
  destroy(): void {
    this.station.destroy();
    this.agent.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  private learnChannel(chunk: Buffer): void {
    if (this.channel !== null) return;
    try {
      for (const m of this.stationFrames.push(chunk)) if (m.type === 'channel') this.channel = m.channel;
    } catch {
      // The agent will name the station's garbage itself; this pipe only forwards it.
      this.channel = 'control';
    }
  }

  /** Forwards agent bytes, inserting armed garbage at the first frame boundary after the hello. */
  private toStation(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.agentRemaining === 0 && this.agentHeader.length === 0 && this.agentFrames > 0 && this.garbage && this.channel === 'control') {
        this.station.write(this.garbage);
        this.garbage = null;
      }
      if (this.agentRemaining === 0) {
        // Inside a header: collect its 6 bytes to learn the payload length.
        const need = HEADER_BYTES - this.agentHeader.length;
        const take = chunk.subarray(at, at + need);
        this.agentHeader = Buffer.concat([this.agentHeader, take]);
        this.station.write(take);
        at += take.length;
        if (this.agentHeader.length === HEADER_BYTES) {
          this.agentRemaining = this.agentHeader.readUInt32BE(2);
          this.agentHeader = Buffer.alloc(0);
          if (this.agentRemaining === 0) this.agentFrames++;
        }
        continue;
      }
      const take = chunk.subarray(at, at + this.agentRemaining);
      this.station.write(take);
      at += take.length;
      this.agentRemaining -= take.length;
      if (this.agentRemaining === 0) this.agentFrames++;
    }
  }
}
