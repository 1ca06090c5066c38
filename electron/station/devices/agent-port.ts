/**
 * A line's way to its phone's agent that outlives any one link: the device supervisor opens a new
 * AgentLink (the control connection) after every reconnect, and calls keep talking to the port. Messages
 * sent while no link is open are dropped (the agent keeps its calls). A call's audio does not pass here:
 * it has its own connection through the same forward (`forward` says where), opened by a media worker.
 */
import type { AgentMessage } from '../../../phone-agent/protocol';
import type { AgentLink } from './agent-link';
import { Emitter } from '../util/emitter';

export type AgentPortEvents = {
  message: [AgentMessage];
  /** A (new) link is open, perhaps through a new forward: audio connections follow `forward`. */
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

  /** Where a call's audio connection goes: the current control link's forward port and station software. */
  get forward(): { port: number; software: string } | null {
    return this.link?.isOpen ? { port: this.link.port, software: this.link.software } : null;
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
