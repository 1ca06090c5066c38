package org.sip2wa.agent.audio;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

/** Frame n is due at t0 + n * 20 ms, on a virtual clock: no sleeps. */
public class PacerTest {
    private static final long MS = 1000000L;

    @Test
    public void frameNIsDueAtT0PlusNTimes20Ms() {
        long t0 = 5000 * MS;
        Pacer p = new Pacer(t0);
        assertEquals(1, p.take(t0));
        assertEquals(0, p.take(t0 + 20 * MS - 1));
        assertEquals(t0 + 20 * MS, p.nextDue());
        assertEquals(1, p.take(t0 + 20 * MS));
        assertEquals(2, p.take(t0 + 60 * MS));
        assertEquals(4, p.frames());
        assertEquals(t0 + 80 * MS, p.nextDue());
    }

    @Test
    public void lateWakeUpsDoNotDriftTheSchedule() {
        long t0 = 0;
        Pacer p = new Pacer(t0);
        Random jitter = new Random(42);
        long now = t0;
        long taken = 0;
        // Each wake-up comes 0-15 ms after the frame was due, as a busy phone's scheduler might.
        for (int i = 0; i < 3000; i++) {
            now = Math.max(now, p.nextDue() + jitter.nextInt(15 * 1000) * 1000L);
            taken += p.take(now);
        }
        assertEquals(now / (20 * MS) + 1, taken);
    }

    @Test
    public void aLongStallRestartsTheScheduleInsteadOfBursting() {
        Pacer p = new Pacer(0);
        p.take(0);
        assertEquals(1, p.take(1000 * MS));
        assertEquals(1000 * MS + 20 * MS, p.nextDue());
        assertEquals(0, p.take(1000 * MS + 19 * MS));
        assertEquals(1, p.take(1000 * MS + 20 * MS));
    }
}
