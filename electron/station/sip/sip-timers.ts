/**
 * RFC 3261 transaction timers for sip.js.
 *
 * sip.js keeps its timers in a mutable exported object (`sip.js/lib/core/timers.js`) and assumes a
 * reliable transport: timers D, I, J and K are 0, so a retransmitted request or response arriving
 * after a transaction completed is treated as new. {@link configureSipTimers} sets the values RFC 3261
 * Table 4 (section A) gives for an unreliable transport; the UDP transport reads T1/T2 from the same
 * object for the retransmission timers A, E and G that sip.js does not implement.
 */
import { Timers } from 'sip.js/lib/core/timers.js';

export interface SipTimerValues {
  /** RTT estimate (ms). */
  T1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses (ms). */
  T2: number;
  /** Maximum duration a message remains in the network (ms). */
  T4: number;
}

export const RFC3261_TIMERS: SipTimerValues = { T1: 500, T2: 4000, T4: 5000 };

/** The live timer object sip.js reads (exported so the transport and tests share one source). */
export const sipTimers = Timers;

/**
 * Sets T1/T2/T4 and every derived timer (B, D, F, H, I, J, K, L, M, N) in sip.js's timer object.
 * Call once at station start; tests call it with short values to reproduce timeouts in seconds.
 * Timer D is 64*T1, which is the 32 s RFC 3261 section 17.1.1.2 asks for on UDP with the default T1.
 */
export function configureSipTimers(values: Partial<SipTimerValues> = {}): void {
  const { T1, T2, T4 } = { ...RFC3261_TIMERS, ...values };
  Object.assign(Timers, {
    T1,
    T2,
    T4,
    TIMER_B: 64 * T1,
    TIMER_D: 64 * T1,
    TIMER_F: 64 * T1,
    TIMER_H: 64 * T1,
    TIMER_I: T4,
    TIMER_J: 64 * T1,
    TIMER_K: T4,
    TIMER_L: 64 * T1,
    TIMER_M: 64 * T1,
    TIMER_N: 64 * T1,
  });
}
