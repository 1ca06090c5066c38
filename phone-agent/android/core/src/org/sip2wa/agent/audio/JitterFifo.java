package org.sip2wa.agent.audio;

import org.sip2wa.agent.protocol.Protocol;

/**
 * The uplink's jitter buffer: station samples in, one 320-sample frame out per 20 ms. When fewer than a
 * frame's samples are buffered the frame is silence (what is buffered waits for the rest), so the injector
 * is always fed; beyond {@link #capacityFrames} frames the oldest samples are dropped, which bounds the
 * delay a burst can add. Thread-safe: the link thread writes, the pacer thread reads.
 */
public final class JitterFifo {
    private final short[] ring;
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
        head = (head + frame.length) % ring.length;
        size -= frame.length;
        return true;
    }

    public synchronized void clear() {
        head = 0;
        size = 0;
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
