package org.sip2wa.agent.platform;

/**
 * Time as the core sees it: monotonic time for pacing (frame n is due at t0 + n * 20 ms) and wall time
 * for message timestamps. Injectable, so the pacer is tested on a virtual clock without sleeping.
 */
public interface Clock {
    /** Monotonic nanoseconds, as System.nanoTime(). */
    long monotonicNanos();

    /** Milliseconds since the Unix epoch. */
    long wallMillis();

    /** Blocks until monotonicNanos() >= deadline (returns at once if it has passed). */
    void sleepUntil(long deadlineNanos) throws InterruptedException;
}
