package org.sip2wa.agent.audio;

import org.sip2wa.agent.protocol.Protocol;

/**
 * The uplink's jitter buffer: station samples in, one 320-sample frame out per 20 ms. When fewer than a
 * frame's samples are buffered the frame is silence (what is buffered waits for the rest), so the injector
 * is always fed; beyond {@link #capacityFrames} frames the oldest samples are dropped, which bounds the
 * delay a burst can add. A queue that stays deeper than {@link #TARGET_FRAMES} for a whole second (a
 * burst absorbed at call start, say) sheds one frame, so a burst does not add its delay for the rest of
 * the call. Thread-safe: the link thread writes, the pacer thread reads.
 */
public final class JitterFifo {
    /** Depth the FIFO settles back to, in frames. */
    static final int TARGET_FRAMES = 1;
    /** Polls per check of the lowest depth: one second of frames. */
    static final int DRAIN_WINDOW = 50;

    private final short[] ring;
    private int polls;
    private int lowest = Integer.MAX_VALUE;
    private final int capacityFrames;
    private int head;
    private int size;
    private long underruns;
    private long dropped;

    public JitterFifo(int capacityFrames) {
        this.capacityFrames = capacityFrames;
        this.ring = new short[capacityFrames * Protocol.FRAME_SAMPLES];
    }

    /** Appends s16le samples. */
    public synchronized void offer(byte[] pcm) {
        int samples = pcm.length / 2;
        for (int i = 0; i < samples; i++) {
            if (size == ring.length) {
                head = (head + 1) % ring.length;
                size--;
                dropped++;
            }
            ring[(head + size) % ring.length] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
            size++;
        }
    }

    /** Fills {@code frame} (320 samples) with the next frame, or silence; returns false for silence. */
    public synchronized boolean poll(short[] frame) {
        if (size < frame.length) {
            java.util.Arrays.fill(frame, (short) 0);
            underruns++;
            return false;
        }
        for (int i = 0; i < frame.length; i++) frame[i] = ring[(head + i) % ring.length];
        skip(frame.length);
        drainIfDeep(frame.length);
        return true;
    }

    private void skip(int samples) {
        head = (head + samples) % ring.length;
        size -= samples;
    }

    /** Sheds one frame when the queue never fell to the target depth during the last window. */
    private void drainIfDeep(int frameSamples) {
        lowest = Math.min(lowest, size);
        if (++polls < DRAIN_WINDOW) return;
        if (lowest > TARGET_FRAMES * frameSamples) {
            skip(frameSamples);
            dropped += frameSamples;
        }
        polls = 0;
        lowest = Integer.MAX_VALUE;
    }

    public synchronized void clear() {
        head = 0;
        size = 0;
        polls = 0;
        lowest = Integer.MAX_VALUE;
    }

    public synchronized int bufferedSamples() {
        return size;
    }

    public synchronized long underruns() {
        return underruns;
    }

    /** Samples dropped because the buffer was full. */
    public synchronized long dropped() {
        return dropped;
    }

    public int capacityFrames() {
        return capacityFrames;
    }
}
