/**
 * The phone's abstract-namespace Unix sockets (`@name`): what `localabstract:NAME` connects to.
 *
 * A process on the phone (the simulated agent) listens on a name; every stream the host opens to that
 * name is handed to its listener. A name nobody listens on refuses the connection.
 */
import type { Duplex } from 'node:stream';

export type AbstractSocketListener = (stream: Duplex) => void;

export class AbstractSockets {
  private readonly listeners = new Map<string, AbstractSocketListener>();

  /** Binds a name; throws like bind(2) with EADDRINUSE when it is taken. Returns the unbind function. */
  listen(name: string, listener: AbstractSocketListener): () => void {
    if (this.listeners.has(name)) throw new Error(`abstract socket @${name} is already bound (EADDRINUSE)`);
    this.listeners.set(name, listener);
    return () => {
      if (this.listeners.get(name) === listener) this.listeners.delete(name);
    };
  }

  /** The listener for a name, or null (connect(2) would fail with ECONNREFUSED). */
  lookup(name: string): AbstractSocketListener | null {
    return this.listeners.get(name) ?? null;
  }

  names(): string[] {
    return [...this.listeners.keys()];
  }
}
