package org.sip2wa.agent.audio;

import org.sip2wa.agent.protocol.Protocol;

/**
 * The uplink's jitter buffer: station samples in, one 320-sample frame out per 20 ms. When fewer than a
 * frame's samples are buffered the frame is silence (what is buffered waits for the rest), so the injector
 * is always fed; beyond {@link #capacityFrames} frames the oldest samples are dropped, which bounds the
 * delay a burst can add.
 *
 * The depth it keeps adapts to the arrival jitter, as a phone's VoIP jitter buffer does: it starts at
 * {@link #MIN_TARGET_FRAMES}; a frame that finds the buffer empty while the station is sending (its frames
 * arrived late) raises the target by one frame, up to {@link #MAX_TARGET_FRAMES}; ten seconds without
 * such an underrun lower it by one. A queue that stays deeper than the target for a whole second sheds one
 * frame, so a burst does not add its delay for the rest of the call. Without the adaptation a steady
 * arrival jitter of more than one frame makes the buffer alternate between inserting silence and shedding
 * audio, both audible. Thread-safe: the link thread writes, the pacer thread reads.
 */
public final class JitterFifo {
    /** Depth the FIFO settles back to when frames arrive steadily, in frames. */
    static final int MIN_TARGET_FRAMES = 1;
    /** Deepest target the adaptation reaches (80 ms of added delay at most). */
    static final int MAX_TARGET_FRAMES = 4;
    /** Polls per check of the lowest depth: one second of frames. */
    static final int DRAIN_WINDOW = 50;
    /** Polls without a late-frame underrun before the target is lowered by one frame: ten seconds. */
    static final int CALM_POLLS = 500;
    /**
     * An underrun is a late frame, not a quiet station, when the station's samples arrive again within
     * this many polls of the underrun (decided when they arrive).
     */
    static final int STREAMING_POLLS = 5;

    private final short[] ring;
    private int polls;
    private int lowest = Integer.MAX_VALUE;
    private final int capacityFrames;
    private int head;
    private int size;
    private long underruns;
    private long dropped;
    private int target = MIN_TARGET_FRAMES;
    private int calmPolls;
    /** Polls since the station last offered samples; large while the station sends nothing. */
    private int pollsSinceOffer = Integer.MAX_VALUE;
    /** Underruns since the last offer, while the station was sending: late frames if samples follow soon. */
    private int pendingLate;

    public JitterFifo(int capacityFrames) {
        this.capacityFrames = capacityFrames;
        this.ring = new short[capacityFrames * Protocol.FRAME_SAMPLES];
    }

    /** Appends s16le samples. */
    public synchronized void offer(byte[] pcm) {
        int samples = pcm.length / 2;
        if (samples > 0) {
            pollsSinceOffer = 0;
            if (pendingLate > 0) lateFrames(pendingLate);
            pendingLate = 0;
        }
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
        if (pollsSinceOffer < Integer.MAX_VALUE) pollsSinceOffer++;
        // A station silent for longer than a jitter spike has stopped sending: its gap was no lateness.
        if (pollsSinceOffer > STREAMING_POLLS) pendingLate = 0;
        if (size < frame.length) {
            java.util.Arrays.fill(frame, (short) 0);
            underruns++;
            if (pollsSinceOffer <= STREAMING_POLLS) pendingLate++;
            return false;
        }
        if (++calmPolls >= CALM_POLLS) {
            calmPolls = 0;
            if (target > MIN_TARGET_FRAMES) target--;
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

    /** {@code frames} were due while the station's next ones had not arrived yet: keep as many more. */
    private void lateFrames(int frames) {
        calmPolls = 0;
        target = Math.min(target + frames, Math.min(MAX_TARGET_FRAMES, capacityFrames - 1));
        // The window that measured the old depth no longer says anything about the new target.
        polls = 0;
        lowest = Integer.MAX_VALUE;
    }

    /** Sheds one frame when the queue never fell to the target depth during the last window. */
    private void drainIfDeep(int frameSamples) {
        lowest = Math.min(lowest, size);
        if (++polls < DRAIN_WINDOW) return;
        if (lowest > target * frameSamples) {
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
        target = MIN_TARGET_FRAMES;
        calmPolls = 0;
        pollsSinceOffer = Integer.MAX_VALUE;
        pendingLate = 0;
    }

    /** The depth the buffer currently keeps, in frames. */
    public synchronized int targetFrames() {
        return target;
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
