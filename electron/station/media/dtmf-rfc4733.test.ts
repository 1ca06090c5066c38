import { describe, expect, it } from 'vitest';
import { DtmfReceiver, DtmfSender, decodeTelephoneEvent, encodeTelephoneEvent, planTelephoneEvent } from './dtmf-rfc4733';

describe('RFC 4733 telephone-events', () => {
  it('encodes the payload bit for bit', () => {
    expect([...encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 })]).toEqual([11, 0x8a, 0x03, 0x20]);
    expect(decodeTelephoneEvent(Uint8Array.of(5, 0x0a, 0, 160))).toEqual({ event: 5, end: false, volume: 10, duration: 160 });
    expect(decodeTelephoneEvent(Uint8Array.of(5))).toBeNull();
  });

  it('plans start (marker), 50 ms continuations and three end packets, one timestamp per event', () => {
    const plan = planTelephoneEvent('7', { durationMs: 160 });
    expect(plan.map((p) => p.atMs)).toEqual([0, 50, 100, 150, 160, 180, 200]);
    expect(plan.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
    const decoded = plan.map((p) => decodeTelephoneEvent(p.payload)!);
    expect(decoded.map((e) => e.duration)).toEqual([400, 800, 1200, 1280, 1280, 1280, 1280]);
    expect(decoded.map((e) => e.end)).toEqual([false, false, false, false, true, true, true]);
    expect(() => planTelephoneEvent('x')).toThrow(/not a DTMF digit/);
  });

  it('round-trips digits through sender and receiver: one digit per event despite repeats', () => {
    const sender = new DtmfSender({ durationMs: 100 });
    sender.enqueue('12#*A');
    const receiver = new DtmfReceiver();
    const got: string[] = [];
    const timestamps = new Set<number>();
    let packets = 0;
    for (let t = 0; t < 2000; t += 20) {
      for (const p of sender.tick(t, t * 8)) {
        packets++;
        timestamps.add(p.timestamp);
        // Every packet twice (a retransmitting network) on top of the three end packets.
        for (let i = 0; i < 2; i++) {
          const d = receiver.push(p.timestamp, p.payload);
          if (d) {
            got.push(d.digit);
            expect(d.durationMs).toBe(100);
          }
        }
      }
    }
    expect(got.join('')).toBe('12#*A');
    expect(timestamps.size).toBe(5);
    expect(packets).toBe(5 * 5);
    expect(sender.pending).toBe(0);
  });

  it('reports an event whose end packets were all lost when the next one starts', () => {
    const r = new DtmfReceiver();
    r.push(1000, encodeTelephoneEvent({ event: 3, end: false, volume: 10, duration: 400 }));
    const d = r.push(3000, encodeTelephoneEvent({ event: 4, end: false, volume: 10, duration: 400 }));
    expect(d).toMatchObject({ digit: '3', durationMs: 50, timestamp: 1000 });
  });
});
