package org.sip2wa.agent.android.audio;

import android.media.AudioTrack;

import java.util.ArrayDeque;

import org.sip2wa.agent.platform.AgentLog;

/**
 * Feeds the injector mix's track for the agent's whole life, with silence whenever the station sends
 * nothing (between calls too): WhatsApp's recorder is attached to this track from the moment it opens it,
 * and a track that stops being written makes that recorder starve. The core's pacer hands in a frame every
 * 20 ms; the blocking write then paces this thread at the rate the mix consumes, and a short queue (at
 * most {@link #MAX_QUEUED} frames, oldest dropped) absorbs the difference between the two clocks.
 */
final class UplinkFeeder implements Runnable {
    static final int MAX_QUEUED = 5;

    private final AudioTrack track;
    private final AgentLog log;
    private final ArrayDeque<short[]> queue = new ArrayDeque<short[]>();
    private final short[] silence = new short[DownlinkReader.FRAME_SAMPLES];
    private final Thread thread = new Thread(this, "sip2wa-uplink");
    private volatile boolean running = true;
    private long dropped;

    UplinkFeeder(AudioTrack track, AgentLog log) {
        this.track = track;
        this.log = log;
        thread.setDaemon(true);
    }

    void start() {
        track.play();
        thread.start();
    }

    /** Never blocks: the frame is copied into the queue. */
    void offer(short[] frame) {
        short[] copy = new short[DownlinkReader.FRAME_SAMPLES];
        System.arraycopy(frame, 0, copy, 0, Math.min(frame.length, copy.length));
        synchronized (queue) {
            if (queue.size() >= MAX_QUEUED) {
                queue.pollFirst();
                dropped++;
            }
            queue.addLast(copy);
        }
    }

    /** Drops what is queued, so the next call does not start with the last call's audio. */
    void flush() {
        synchronized (queue) {
            queue.clear();
        }
    }

    @Override
    public void run() {
        while (running) {
            short[] frame;
            synchronized (queue) {
                frame = queue.pollFirst();
            }
            int n = track.write(frame != null ? frame : silence, 0, DownlinkReader.FRAME_SAMPLES);
            if (n < 0) {
                log.warn("audio: uplink track write failed with " + n + "; injection stops (" + dropped + " frames dropped)");
                running = false;
            }
        }
    }

    void close() {
        running = false;
        try {
            track.stop();
        } catch (IllegalStateException e) {
            // never played
        }
        track.release();
    }
}
