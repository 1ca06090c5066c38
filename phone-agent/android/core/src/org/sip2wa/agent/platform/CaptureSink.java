package org.sip2wa.agent.platform;

/** Receives captured downlink audio from the {@link AudioDevice}. */
public interface CaptureSink {
    /** One 20 ms frame of 320 samples; the sink copies what it keeps, the caller may reuse the array. */
    void onFrame(short[] frame);
}
