/**
 * Retransmission over UDP, the part of the RFC 3261 transaction layer sip.js leaves out because it
 * assumes a reliable transport:
 *
 * - Timer A (section 17.1.1.2): an INVITE is resent after T1, 2*T1, 4*T1 ... until any response.
 * - Timer E (section 17.1.2.2): a non-INVITE request is resent after T1, doubling up to T2, until a final
 *   response; after a provisional response the interval is T2.
 * - Timer G (section 17.2.1): a 300-699 response to an INVITE is resent after T1, doubling up to T2,
 *   until the ACK (same branch and sent-by) arrives.
 *
 * Every schedule gives up after 64*T1 (timers B, F and H), by which time sip.js has ended the
 * transaction itself. ACKs and 2xx responses are never retransmitted here: ACK is not a transaction and
 * sip.js's session dialog already resends 2xx until the ACK (RFC 6026 section 8.1).
 *
 *   request sent ──T1──> resend ──2*T1──> resend ...  ──response / 64*T1──> stopped
 *
 * Retransmitted requests arriving at us are absorbed by sip.js's server transactions once timers
 * I/J/K/D are non-zero (see `sip-timers.ts`).
 */
import type { PeekedMessage } from './sip-message-peek';
import { sipTimers } from '../sip-timers';

export interface RetransmitDestination {
  address: string;
  port: number;
}

interface Entry {
  payload: string;
  dest: RetransmitDestination;
  interval: number;
  /** INVITE requests double without a cap (timer A); the others cap at T2. */
  capped: boolean;
  deadline: number;
  timer: NodeJS.Timeout;
  sent: number;
}

export interface RetransmitStats {
  retransmissions: number;
  active: number;
}

/**
 * An INVITE response's schedule is stopped by the ACK of the same transaction: same branch and same
 * sent-by (RFC 3261 section 17.2.3), so another sender reusing the branch cannot stop it.
 */
function responseKey(msg: PeekedMessage): string {
  return `res ${msg.via?.branch} ${msg.via?.host.toLowerCase()}:${msg.via?.port ?? ''}`;
}

export class UdpRetransmitter {
  private readonly entries = new Map<string, Entry>();
  private retransmissions = 0;

  constructor(private readonly resend: (payload: string, dest: RetransmitDestination) => void) {}

  /** Called for every message the transport sends; starts a schedule for the ones that need it. */
  onSend(msg: PeekedMessage, payload: string, dest: RetransmitDestination): void {
    const branch = msg.via?.branch;
    if (!branch) return;
    if (msg.kind === 'request') {
      if (msg.method === 'ACK') return;
      this.start(`req ${branch} ${msg.method}`, payload, dest, msg.method !== 'INVITE');
    } else if (msg.method === 'INVITE' && (msg.status ?? 0) >= 300) {
      this.start(responseKey(msg), payload, dest, true);
    }
  }

  /** Called for every message received; stops the schedules it answers. */
  onReceive(msg: PeekedMessage): void {
    const branch = msg.via?.branch;
    if (!branch) return;
    if (msg.kind === 'response') {
      const key = `req ${branch} ${msg.method}`;
      const entry = this.entries.get(key);
      if (!entry) return;
      const status = msg.status ?? 0;
      if (msg.method === 'INVITE' || status >= 200) {
        this.stop(key);
      } else {
        // A provisional response to a non-INVITE: keep resending, at T2 (RFC 3261 section 17.1.2.2).
        entry.interval = sipTimers.T2;
        clearTimeout(entry.timer);
        entry.timer = this.arm(key, entry);
      }
    } else if (msg.method === 'ACK') {
      this.stop(responseKey(msg));
    }
  }

  get stats(): RetransmitStats {
    return { retransmissions: this.retransmissions, active: this.entries.size };
  }

  dispose(): void {
    for (const key of [...this.entries.keys()]) this.stop(key);
  }

  private start(key: string, payload: string, dest: RetransmitDestination, capped: boolean): void {
    // sip.js itself resends the same message only as a retransmission (for example a response to a
    // retransmitted request); the schedule already running covers it.
    if (this.entries.has(key)) return;
    const entry: Entry = {
      payload,
      dest,
      interval: sipTimers.T1,
      capped,
      deadline: Date.now() + 64 * sipTimers.T1,
      timer: undefined as unknown as NodeJS.Timeout,
      sent: 1,
    };
    entry.timer = this.arm(key, entry);
    this.entries.set(key, entry);
  }

  private arm(key: string, entry: Entry): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (Date.now() >= entry.deadline) {
        this.stop(key);
        return;
      }
      this.retransmissions++;
      entry.sent++;
      this.resend(entry.payload, entry.dest);
      entry.interval = entry.capped ? Math.min(entry.interval * 2, sipTimers.T2) : entry.interval * 2;
      entry.timer = this.arm(key, entry);
    }, Math.max(0, Math.min(entry.interval, entry.deadline - Date.now())));
    timer.unref();
    return timer;
  }

  private stop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.entries.delete(key);
  }
}
