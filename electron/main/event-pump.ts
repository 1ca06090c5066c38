/**
 * Carries the station's events to the console window. Nothing is sent before the console says it
 * listens (a page still loading would drop it): events wait in a bounded queue, and the grid, which
 * is a snapshot, is sent once, fresh, when the console is ready. Grid snapshots are throttled to 10 a
 * second, as in serve mode.
 */
import type { StationEvent } from '../station/api/contract';
import type { LineView } from '../station/api/types';

export interface EventSource {
  lines(): LineView[];
  /** Subscribes to any change of the lines; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Subscribes to the other pushed events (events-panel entries, test dial, info). */
  onEvent?(listener: (event: StationEvent) => void): () => void;
}

export const LINES_INTERVAL_MS = 100;
/** Events kept while the console is not listening; the oldest go first (the panel can list them again). */
export const QUEUE_LIMIT = 500;

export class EventPump {
  private ready = false;
  private queue: StationEvent[] = [];
  private pending: NodeJS.Timeout | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly source: EventSource,
    private readonly send: (event: StationEvent) => void,
  ) {
    this.offs.push(source.onChange(() => this.linesChanged()));
    if (source.onEvent) this.offs.push(source.onEvent((event) => this.push(event)));
  }

  /** The console listens: the current grid first, then what waited, in order. */
  markReady(): void {
    this.ready = true;
    this.send({ event: 'lines', data: this.source.lines() });
    const waiting = this.queue;
    this.queue = [];
    for (const event of waiting) this.send(event);
  }

  /** The page is reloading or gone: hold events until it says it is ready again. */
  markNotReady(): void {
    this.ready = false;
  }

  get isReady(): boolean {
    return this.ready;
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    this.queue = [];
  }

  private push(event: StationEvent): void {
    // A grid snapshot pushed as an event goes the throttled way of every other change of the lines.
    if (event.event === 'lines') return this.linesChanged();
    if (this.ready) return this.send(event);
    this.queue.push(event);
    if (this.queue.length > QUEUE_LIMIT) this.queue.shift();
  }

  private linesChanged(): void {
    // Not ready: markReady sends a fresh snapshot, stale ones are not worth queueing.
    if (!this.ready) return;
    this.pending ??= setTimeout(() => {
      this.pending = null;
      if (this.ready) this.send({ event: 'lines', data: this.source.lines() });
    }, LINES_INTERVAL_MS);
  }
}
