package org.sip2wa.agent.support;

import org.sip2wa.agent.platform.Clock;

/** A clock that moves only when the test says so. sleepUntil never blocks: tests drive steps themselves. */
public final class VirtualClock implements Clock {
    private long now;

    public VirtualClock(long startNanos) {
        now = startNanos;
    }

    public synchronized void advanceNanos(long nanos) {
        now += nanos;
    }

    public void advanceMillis(double ms) {
        advanceNanos((long) (ms * 1000000L));
    }

    @Override
    public synchronized long monotonicNanos() {
        return now;
    }

    @Override
    public long wallMillis() {
        return monotonicNanos() / 1000000L;
    }

    @Override
    public void sleepUntil(long deadlineNanos) {
        throw new UnsupportedOperationException("a virtual clock is stepped by the test, not slept on");
    }
}
