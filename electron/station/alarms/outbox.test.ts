import { describe, expect, it } from 'vitest';
import { webhooksSchema } from '../config/schema';
import { openDatabase } from '../util/sqlite';
import type { Channel, SendResult } from './channels';
import { DeliveryQueue } from './delivery-queue';
import { Outbox } from './outbox';

/** Polls a condition on the event loop (the outbox runs on real timers here, at 50 ms retries). */
async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A channel that answers from a script, then delivers; it records what it was sent, when. */
function scripted(id: string, script: SendResult[]) {
  const calls: { body: string; at: number }[] = [];
  const channel: Channel = {
    id,
    send: async (d) => {
      calls.push({ body: d.body, at: Date.now() });
      return script.shift() ?? { ok: true, detail: 'HTTP 200' };
    },
  };
  return { channel, calls };
}

function outbox(channels: Channel[]) {
  const queue = new DeliveryQueue(openDatabase(':memory:'));
  const failures: string[] = [];
  const notes: string[] = [];
  const box = new Outbox({
    queue,
    channel: (id) => channels.find((c) => c.id === id),
    config: () => webhooksSchema.parse({ retryInitialS: 0.05, retryMaxS: 0.1, queueLimit: 10 }),
    failed: (f) => failures.push(`${f.receiver} ${f.what}: ${f.reason}`),
    note: (level, m) => notes.push(`${level} ${m}`),
    random: () => 0.5,
  });
  return { box, queue, failures, notes };
}

describe('the outbox', () => {
  it('retries a 5xx with backoff while later deliveries wait, so the receiver gets them in order', async () => {
    const retry: SendResult = { ok: false, permanent: false, detail: 'http://ops/hook answered HTTP 503' };
    const ops = scripted('ops', [retry, retry, retry]);
    const { box, queue, notes } = outbox([ops.channel]);
    box.push('ops', 'alarm', 'first', 'st1');
    box.push('ops', 'alarm', 'second', 'st1');
    await until('both delivered', () => queue.count('ops') === 0);
    expect(ops.calls.map((c) => c.body)).toEqual(['first', 'first', 'first', 'first', 'second']);
    const waits = ops.calls.slice(1, 4).map((c, i) => c.at - ops.calls[i]!.at);
    // 50 ms, 100 ms, then the 100 ms ceiling (timers fire no earlier than asked).
    expect(waits[0]).toBeGreaterThanOrEqual(49);
    expect(waits[1]).toBeGreaterThanOrEqual(99);
    expect(waits[2]).toBeGreaterThanOrEqual(99);
    expect(notes).toEqual([
      'warn receiver ops failed: http://ops/hook answered HTTP 503; deliveries wait in the queue and are retried',
      'info receiver ops takes deliveries again (1 still queued)',
    ]);
    box.stop();
  });

  it('gives up on a 4xx at once, reports it, and goes on with the next delivery', async () => {
    const crm = scripted('crm', [{ ok: false, permanent: true, detail: 'http://crm/hook answered HTTP 401 Unauthorized' }]);
    const { box, queue, failures } = outbox([crm.channel]);
    box.push('crm', 'alarm', 'refused', 'st1');
    box.push('crm', 'call-record', 'next', 'st1');
    await until('the queue empty', () => queue.count('crm') === 0);
    expect(crm.calls.map((c) => c.body)).toEqual(['refused', 'next']);
    expect(failures).toEqual(['crm alarm: http://crm/hook answered HTTP 401 Unauthorized (not retried)']);
    box.stop();
  });

  it('reports a drop when the bound is hit while the receiver is down', async () => {
    const down = scripted('ops', Array.from({ length: 100 }, () => ({ ok: false, permanent: false, detail: 'ECONNREFUSED' }) as SendResult));
    const { box, queue, failures } = outbox([down.channel]);
    for (let i = 0; i < 12; i++) box.push('ops', 'alarm', `a${i}`, 'st1');
    expect(queue.count('ops')).toBe(10);
    expect(failures[0]).toBe('ops dropped: 2 deliveries dropped: the queue is full (10)');
    box.stop();
  });
});
