/**
 * A small typed event emitter: the event map is declared once and both `on` and `emit` check against it.
 * A throwing listener is isolated so one bad subscriber cannot break the emitter's owner.
 */
import { createLogger } from './log';

const log = createLogger('emitter');

export type EventMap = Record<string, unknown[]>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

export class Emitter<E extends EventMap> {
  private listeners = new Map<keyof E, Set<Listener>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  once<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    const off = this.on(event, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (err) {
        log.error(`a '${String(event)}' listener threw: ${(err as Error).stack ?? String(err)}`);
      }
    }
  }
}
