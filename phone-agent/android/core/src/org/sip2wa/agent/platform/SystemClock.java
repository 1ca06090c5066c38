package org.sip2wa.agent.platform;

/** The JVM's clocks: System.nanoTime for pacing, System.currentTimeMillis for wall time. */
public final class SystemClock implements Clock {
    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    @Override
    public long wallMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return;
            Thread.sleep(left / 1000000L, (int) (left % 1000000L));
        }
    }
}
