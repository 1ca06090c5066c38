/**
 * A line's way to its phone's agent that outlives any one link: the device supervisor opens a new
 * AgentLink after every reconnect, and calls keep talking to the port. Messages sent while no link
 * is open are dropped (the agent keeps its calls; audio in between is lost, as the protocol says).
 */
import type { AgentMessage } from '../../../phone-agent/protocol';
import type { AgentLink } from '../devices/agent-link';
import { Emitter } from '../util/emitter';

export type AgentPortEvents = {
  message: [AgentMessage];
  /** A (new) link is open: calls re-send what the agent must know (audio-start). */
  link: [];
  /** The link dropped. */
  down: [reason: string];
};

export class AgentPort extends Emitter<AgentPortEvents> {
  private link: AgentLink | null = null;
  private offs: Array<() => void> = [];

  get isUp(): boolean {
    return this.link?.isOpen ?? false;
  }

  attach(link: AgentLink): void {
    this.detach();
    this.link = link;
    this.offs = [
      link.on('message', (m) => this.emit('message', m)),
      link.on('closed', (reason) => {
        if (this.link !== link) return;
        this.detach();
        this.emit('down', reason);
      }),
    ];
    this.emit('link');
  }

  send(message: AgentMessage): boolean {
    if (!this.link?.isOpen) return false;
    this.link.send(message);
    return true;
  }

  private detach(): void {
    for (const off of this.offs) off();
    this.offs = [];
    this.link = null;
  }
}
