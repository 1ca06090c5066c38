import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureSipTimers } from '../sip-timers';
import { peekMessage } from './sip-message-peek';
import { UdpRetransmitter } from './udp-retransmit';

const msg = (first: string, method: string, branch = 'z9hG4bKabc') =>
  peekMessage(`${first}\r\nVia: SIP/2.0/UDP 10.0.0.2;branch=${branch};rport\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`)!;
const dest = { address: '10.0.0.1', port: 5060 };

describe('UdpRetransmitter', () => {
  afterEach(() => {
    vi.useRealTimers();
    configureSipTimers();
  });

  it('resends a non-INVITE at T1, 2T1, 4T1 capped at T2, at T2 after a provisional, and stops on the final', () => {
    vi.useFakeTimers();
    configureSipTimers({ T1: 100, T2: 400 });
    const sent: number[] = [];
    const r = new UdpRetransmitter(() => sent.push(Date.now()));
    const t0 = Date.now();
    r.onSend(msg('REGISTER sip:pbx SIP/2.0', 'REGISTER'), 'x', dest);
    vi.advanceTimersByTime(1500);
    expect(sent.map((t) => t - t0)).toEqual([100, 300, 700, 1100, 1500]);
    r.onReceive(msg('SIP/2.0 100 Trying', 'REGISTER'));
    vi.advanceTimersByTime(400);
    expect(sent).toHaveLength(6);
    r.onReceive(msg('SIP/2.0 200 OK', 'REGISTER'));
    vi.advanceTimersByTime(5000);
    expect(sent).toHaveLength(6);
    expect(r.stats.active).toBe(0);
  });

  it('doubles an INVITE without cap until any response, and gives up after 64*T1', () => {
    vi.useFakeTimers();
    configureSipTimers({ T1: 100, T2: 400 });
    const sent: number[] = [];
    const r = new UdpRetransmitter(() => sent.push(Date.now()));
    const t0 = Date.now();
    r.onSend(msg('INVITE sip:a@pbx SIP/2.0', 'INVITE'), 'x', dest);
    vi.advanceTimersByTime(10_000);
    // RFC 3261 section 17.1.1.2: 7 transmissions (0, T1, 3T1 ... 63T1) before timer B at 64*T1.
    expect(sent.map((t) => t - t0)).toEqual([100, 300, 700, 1500, 3100, 6300]);
    expect(r.stats.active).toBe(0);
    r.onSend(msg('INVITE sip:a@pbx SIP/2.0', 'INVITE', 'z9hG4bKother'), 'x', dest);
    r.onReceive(msg('SIP/2.0 180 Ringing', 'INVITE', 'z9hG4bKother'));
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(6);
  });

  it('resends a 486 to an INVITE (timer G) until the ACK, and never resends ACK or 2xx', () => {
    vi.useFakeTimers();
    configureSipTimers({ T1: 100, T2: 400 });
    let sent = 0;
    const r = new UdpRetransmitter(() => sent++);
    r.onSend(msg('SIP/2.0 200 OK', 'INVITE', 'z9hG4bK2'), 'x', dest);
    r.onSend(msg('ACK sip:a@pbx SIP/2.0', 'ACK', 'z9hG4bK3'), 'x', dest);
    r.onSend(msg('SIP/2.0 486 Busy Here', 'INVITE'), 'x', dest);
    vi.advanceTimersByTime(350);
    expect(sent).toBe(2);
    r.onReceive(msg('ACK sip:201@st SIP/2.0', 'ACK'));
    vi.advanceTimersByTime(5000);
    expect(sent).toBe(2);
  });
});
