/**
 * Sends what the queue holds, per channel, in order: one delivery in flight per channel, the next once
 * it is delivered or failed for good. A delivery that failed for now is retried after an exponential
 * backoff with jitter (webhooks.retryInitialS doubling up to retryMaxS) while the deliveries behind it
 * wait, so a receiver gets everything in the order it happened.
 */
import type { DeliveryFailure } from '../api/types';
import type { WebhooksConfig } from '../config/schema';
import { backoffDelay } from '../util/backoff';
import { createLogger } from '../util/log';
import type { Channel } from './channels';
import type { DeliveryQueue, DeliveryWhat, QueuedDelivery } from './delivery-queue';

const log = createLogger('alarms');

export interface OutboxDeps {
  queue: DeliveryQueue;
  /** The channels in force, by id (settings may change them). */
  channel(id: string): Channel | undefined;
  config(): WebhooksConfig;
  /** A delivery failed for good or was dropped: said in the events and kept for the console. */
  failed(failure: Omit<DeliveryFailure, 'at'>): void;
  /** A channel started failing (its deliveries wait) or delivers again: said in the events. */
  note(level: 'info' | 'warn', message: string): void;
  clock?: () => number;
  random?: () => number;
}

interface Pump {
  busy: boolean;
  timer: NodeJS.Timeout | null;
  lastError: string | null;
}

export class Outbox {
  private readonly pumps = new Map<string, Pump>();
  private readonly clock: () => number;
  private stopped = false;

  constructor(private readonly deps: OutboxDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /** Queues a delivery for the channel and sends it when the ones before it are through. */
  push(channel: string, what: Exclude<DeliveryWhat, 'dropped'>, body: string, station: string): void {
    const cfg = this.deps.config();
    const dropped = this.deps.queue.push(channel, what, body, cfg.queueLimit, station);
    if (dropped > 0) this.deps.failed({ receiver: channel, what: 'dropped', reason: `${dropped} deliveries dropped: the queue is full (${cfg.queueLimit})` });
    this.kick(channel);
  }

  /** Starts (or restarts) sending what waits for each of these channels. */
  start(channels: readonly string[]): void {
    this.deps.queue.dueNow();
    for (const id of channels) {
      const p = this.pumps.get(id);
      if (p?.timer) {
        clearTimeout(p.timer);
        p.timer = null;
      }
      this.kick(id);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const p of this.pumps.values()) if (p.timer) clearTimeout(p.timer);
  }

  /** What the console shows of a channel's queue. */
  state(id: string): { queued: number; nextAttemptAt: string | null; lastError: string | null } {
    const head = this.deps.queue.head(id);
    const p = this.pumps.get(id);
    return { queued: this.deps.queue.count(id), nextAttemptAt: head && head.attempts > 0 ? new Date(head.nextAt).toISOString() : null, lastError: p?.lastError ?? head?.lastError ?? null };
  }

  private pump(id: string): Pump {
    let p = this.pumps.get(id);
    if (!p) this.pumps.set(id, (p = { busy: false, timer: null, lastError: null }));
    return p;
  }

  private kick(id: string): void {
    const p = this.pump(id);
    if (this.stopped || p.busy || p.timer) return;
    void this.drain(id, p);
  }

  private async drain(id: string, p: Pump): Promise<void> {
    p.busy = true;
    try {
      while (!this.stopped) {
        const channel = this.deps.channel(id);
        const head = this.deps.queue.head(id);
        if (!channel || !head) return;
        const wait = head.nextAt - this.clock();
        if (wait > 0) {
          p.timer = setTimeout(() => {
            p.timer = null;
            this.kick(id);
          }, wait);
          p.timer.unref();
          return;
        }
        await this.attempt(channel, head, p);
      }
    } catch (err) {
      // A queue that cannot be read (disk gone) must not take the station down; it is retried on the next push.
      log.error(`deliveries to ${id}: ${(err as Error).message}`);
    } finally {
      p.busy = false;
    }
  }

  private async attempt(channel: Channel, d: QueuedDelivery, p: Pump): Promise<void> {
    const result = await channel.send({ deliveryId: d.deliveryId, body: d.body });
    if (this.stopped) return; // the row stays and goes out after the next start
    if (result.ok) {
      this.deps.queue.remove(d.seq);
      if (p.lastError !== null) this.deps.note('info', `receiver ${channel.id} takes deliveries again (${this.deps.queue.count(channel.id)} still queued)`);
      p.lastError = null;
      return;
    }
    if (p.lastError === null && !result.permanent) this.deps.note('warn', `receiver ${channel.id} failed: ${result.detail}; deliveries wait in the queue and are retried`);
    p.lastError = result.detail;
    if (result.permanent) {
      this.deps.queue.remove(d.seq);
      this.deps.failed({ receiver: channel.id, what: d.what, reason: `${result.detail} (not retried)` });
      return;
    }
    const cfg = this.deps.config();
    const delay = backoffDelay(d.attempts, cfg.retryInitialS * 1000, cfg.retryMaxS * 1000, 0.2, this.deps.random);
    this.deps.queue.retryAt(d.seq, this.clock() + delay, result.detail);
    log.warn(`delivery to ${channel.id} failed (attempt ${d.attempts + 1}), retried in ${Math.round(delay / 100) / 10} s: ${result.detail}`);
  }
}
