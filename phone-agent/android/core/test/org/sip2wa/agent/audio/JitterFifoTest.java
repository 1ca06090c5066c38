package org.sip2wa.agent.audio;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.sip2wa.agent.support.FakePlatform;
import org.sip2wa.agent.support.VirtualClock;

/** The uplink jitter FIFO and the paced injector driven on a virtual clock. */
public class JitterFifoTest {
    /** A frame whose every sample is {@code value}, s16le. */
    static byte[] frame(int value, int samples) {
        byte[] b = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            b[2 * i] = (byte) value;
            b[2 * i + 1] = (byte) (value >> 8);
        }
        return b;
    }

    @Test
    public void emptyGivesSilenceAndFramesComeOutInOrder() {
        JitterFifo f = new JitterFifo(5);
        short[] out = new short[320];
        assertFalse(f.poll(out));
        assertEquals(0, out[0]);
        assertEquals(1, f.underruns());
        f.offer(frame(1000, 320));
        f.offer(frame(-2000, 320));
        assertTrue(f.poll(out));
        assertEquals(1000, out[319]);
        assertTrue(f.poll(out));
        assertEquals(-2000, out[0]);
        assertFalse(f.poll(out));
    }

    @Test
    public void aPartialFrameWaitsForTheRest() {
        JitterFifo f = new JitterFifo(5);
        short[] out = new short[320];
        f.offer(frame(7, 200));
        assertFalse(f.poll(out));
        f.offer(frame(9, 200));
        assertTrue(f.poll(out));
        assertEquals(7, out[199]);
        assertEquals(9, out[200]);
        assertEquals(80, f.bufferedSamples());
    }

    @Test
    public void aBurstBeyondCapacityDropsTheOldestSoTheDelayStaysBounded() {
        JitterFifo f = new JitterFifo(3);
        for (int n = 1; n <= 5; n++) f.offer(frame(n, 320));
        assertEquals(3 * 320, f.bufferedSamples());
        assertEquals(2 * 320, f.dropped());
        short[] out = new short[320];
        f.poll(out);
        assertEquals(3, out[0]);
    }

    @Test
    public void aQueueThatStaysDeepShedsAFrameASecondUntilItIsBackAtTheTarget() {
        JitterFifo f = new JitterFifo(5);
        short[] out = new short[320];
        // A burst of 4 frames, then one frame in per frame out: the depth would stay at 4 for good.
        for (int n = 0; n < 4; n++) f.offer(frame(n, 320));
        for (int i = 0; i < 3 * JitterFifo.DRAIN_WINDOW; i++) {
            f.offer(frame(9, 320));
            f.poll(out);
        }
        // One frame shed per second, down to the target depth.
        assertEquals(JitterFifo.MIN_TARGET_FRAMES * 320, f.bufferedSamples());
        assertEquals((4 - JitterFifo.MIN_TARGET_FRAMES) * 320, f.dropped());
        // At the target it stays: no more frames are shed.
        for (int i = 0; i < 3 * JitterFifo.DRAIN_WINDOW; i++) {
            f.offer(frame(9, 320));
            f.poll(out);
        }
        assertEquals((4 - JitterFifo.MIN_TARGET_FRAMES) * 320, f.dropped());
    }

    /** One cycle of a second: 48 frames on time, then two late ones that arrive together. */
    static void lateCycle(JitterFifo f, short[] out) {
        for (int i = 0; i < 48; i++) {
            f.offer(frame(5, 320));
            f.poll(out);
        }
        f.poll(out);
        f.poll(out);
        f.offer(frame(5, 320));
        f.offer(frame(5, 320));
    }

    @Test
    public void aRecurringLateArrivalIsAbsorbedAfterTheFirstInsteadOfSilenceAndSheddingInTurn() {
        JitterFifo f = new JitterFifo(CallAudio.FIFO_FRAMES);
        short[] out = new short[320];
        lateCycle(f, out);
        long afterFirst = f.underruns();
        assertEquals(2, afterFirst);
        assertTrue(f.targetFrames() > JitterFifo.MIN_TARGET_FRAMES);
        // Nine more seconds of the same jitter: the deeper buffer rides it out, nothing is cut or inserted.
        for (int n = 0; n < 9; n++) lateCycle(f, out);
        assertEquals(afterFirst, f.underruns());
        assertEquals(0, f.dropped());
    }

    @Test
    public void theTargetComesBackDownAfterTenCalmSecondsAndTheExtraDelayIsShed() {
        JitterFifo f = new JitterFifo(CallAudio.FIFO_FRAMES);
        short[] out = new short[320];
        lateCycle(f, out);
        int raised = f.targetFrames();
        // Steady arrivals from now on: each ten seconds the target drops a frame, and the queue follows.
        for (int i = 0; i < (raised + 1) * JitterFifo.CALM_POLLS; i++) {
            f.offer(frame(5, 320));
            f.poll(out);
        }
        assertEquals(JitterFifo.MIN_TARGET_FRAMES, f.targetFrames());
        assertTrue(f.bufferedSamples() <= JitterFifo.MIN_TARGET_FRAMES * 320);
    }

    @Test
    public void aQuietStationDoesNotDeepenTheBuffer() {
        JitterFifo f = new JitterFifo(CallAudio.FIFO_FRAMES);
        short[] out = new short[320];
        f.offer(frame(5, 320));
        f.poll(out);
        // The station stops sending (no call audio yet, say): silence for seconds is not lateness.
        for (int i = 0; i < 200; i++) f.poll(out);
        assertEquals(JitterFifo.MIN_TARGET_FRAMES, f.targetFrames());
    }

    @Test
    public void theInjectorFeedsOneFramePer20MsSilenceWhenTheStationIsQuiet() {
        FakePlatform device = new FakePlatform();
        VirtualClock clock = new VirtualClock(1000000000L);
        JitterFifo fifo = new JitterFifo(5);
        UplinkInjector injector = new UplinkInjector(device, fifo, clock, device);
        injector.reset(clock.monotonicNanos());
        assertEquals(1, injector.runDue(clock.monotonicNanos()));
        assertEquals(0, device.lastInjected()[100]);
        fifo.offer(frame(500, 320));
        clock.advanceMillis(19.9);
        assertEquals(0, injector.runDue(clock.monotonicNanos()));
        clock.advanceMillis(0.1);
        assertEquals(1, injector.runDue(clock.monotonicNanos()));
        assertEquals(500, device.lastInjected()[100]);
        // Ten seconds of virtual time: 500 more frames, the station silent, the injector never starved.
        for (int i = 0; i < 1000; i++) {
            clock.advanceMillis(10);
            injector.runDue(clock.monotonicNanos());
        }
        assertEquals(502, device.injectedFrames());
        assertEquals(0, device.lastInjected()[100]);
    }
}
