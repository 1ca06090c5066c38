package org.sip2wa.agent.audio;

import org.sip2wa.agent.protocol.Protocol;

/**
 * Frame n is due at t0 + n * 20 ms (PROTOCOL.md, "Audio"): scheduled from the start time, never by
 * chained timers, so the injector's rate does not drift with scheduling delays. After a stall of more than
 * {@link #MAX_CATCH_UP_FRAMES} frames the schedule restarts from now instead of bursting the backlog.
 */
public final class Pacer {
    public static final long FRAME_NANOS = Protocol.FRAME_MS * 1000000L;
    static final int MAX_CATCH_UP_FRAMES = 5;

    private long t0;
    private long next;

    public Pacer(long startNanos) {
        t0 = startNanos;
    }

    /** When the next frame is due. */
    public long nextDue() {
        return t0 + next * FRAME_NANOS;
    }

    /** Frames handed out so far. */
    public long frames() {
        return next;
    }

    /** How many frames are due at {@code now}; they count as handed out. */
    public int take(long now) {
        long due = (now - t0) / FRAME_NANOS + 1;
        if (now < t0) return 0;
        long count = due - next;
        if (count <= 0) return 0;
        if (count > MAX_CATCH_UP_FRAMES) {
            // A stalled thread (or a suspended phone): one frame now and the schedule restarts.
            t0 = now - next * FRAME_NANOS;
            count = 1;
        }
        next += count;
        return (int) count;
    }
}
