import { describe, expect, it } from 'vitest';
import { RtpSourceLatch } from './rtp-source-latch';

const PBX = { address: '192.0.2.10', port: 30000 };

function latch(trustedAddresses: string[] = []) {
  let now = 0;
  const l = new RtpSourceLatch({ trustedAddresses, windowMs: 2_000, now: () => now });
  l.reset(PBX);
  return { l, advance: (ms: number) => (now += ms) };
}

describe('the RTP source latch', () => {
  it('sends where the SDP says until the SDP address speaks, then where its packets come from (NAT port)', () => {
    const { l } = latch();
    expect(l.remote).toEqual(PBX);
    expect(l.check({ address: PBX.address, port: 40002 })).toEqual({ accept: true, latchedNow: true });
    expect(l.remote).toEqual({ address: PBX.address, port: 40002 });
    expect(l.check({ address: PBX.address, port: 40002 })).toEqual({ accept: true, latchedNow: false });
  });

  it('never latches onto a stranger, before or after the call latched, and counts each packet', () => {
    const { l, advance } = latch();
    const stranger = { address: '127.0.0.2', port: 5004 };
    expect(l.check(stranger)).toEqual({ accept: false, firstFromSource: true });
    expect(l.check(stranger)).toEqual({ accept: false, firstFromSource: false });
    expect(l.remote).toEqual(PBX);
    l.check(PBX);
    advance(100);
    expect(l.check(stranger).accept).toBe(false);
    expect(l.remote).toEqual(PBX);
    expect(l.foreign).toBe(3);
  });

  it('lets another port of an allowed address take over only early in the call', () => {
    const { l, advance } = latch(['198.51.100.7']);
    l.check(PBX);
    advance(1_500);
    expect(l.check({ address: '198.51.100.7', port: 1234 })).toEqual({ accept: true, latchedNow: true });
    advance(600);
    // Past the window, even the PBX's own address on a new port is a new source mid-call.
    expect(l.check({ address: PBX.address, port: 30002 }).accept).toBe(false);
    expect(l.remote).toEqual({ address: '198.51.100.7', port: 1234 });
  });

  it('starts over when a re-INVITE moves the media, and compares IPv4-mapped addresses as IPv4', () => {
    const { l, advance } = latch();
    l.check(PBX);
    advance(10_000);
    l.reset({ address: '192.0.2.20', port: 31000 });
    expect(l.latched).toBe(false);
    expect(l.check({ address: '::ffff:192.0.2.20', port: 31000 })).toEqual({ accept: true, latchedNow: true });
    expect(l.check(PBX).accept).toBe(false);
  });
});
