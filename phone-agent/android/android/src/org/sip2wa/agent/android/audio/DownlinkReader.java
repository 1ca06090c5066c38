package org.sip2wa.agent.android.audio;

import android.media.AudioRecord;

import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.CaptureSink;

/**
 * Reads the downlink mix's record for the agent's whole life: a looped-back player mix that nobody reads
 * may stall the player routed to it (WhatsApp's), so it is drained between calls too, and frames reach
 * the sink only while the core captures. AudioRecord.read blocks until 20 ms have arrived, which paces it.
 */
final class DownlinkReader implements Runnable {
    static final int FRAME_SAMPLES = 320;

    private final AudioRecord record;
    private final AgentLog log;
    private final Thread thread = new Thread(this, "sip2wa-downlink");
    private volatile CaptureSink sink;
    private volatile boolean running = true;

    DownlinkReader(AudioRecord record, AgentLog log) {
        this.record = record;
        this.log = log;
        thread.setDaemon(true);
    }

    void start() {
        record.startRecording();
        thread.start();
    }

    void deliverTo(CaptureSink s) {
        sink = s;
    }

    @Override
    public void run() {
        short[] frame = new short[FRAME_SAMPLES];
        while (running) {
            int filled = 0;
            while (running && filled < FRAME_SAMPLES) {
                int n = record.read(frame, filled, FRAME_SAMPLES - filled);
                if (n < 0) {
                    log.warn("audio: downlink record read failed with " + n + "; capture stops");
                    running = false;
                    return;
                }
                filled += n;
            }
            CaptureSink s = sink;
            if (s != null && filled == FRAME_SAMPLES) s.onFrame(frame);
        }
    }

    void close() {
        running = false;
        try {
            record.stop();
        } catch (IllegalStateException e) {
            // never started
        }
        record.release();
    }
}
