package org.sip2wa.agent.platform;

/**
 * WhatsApp's call audio on this phone: 16 kHz mono signed 16-bit, 320 samples = 20 ms per frame.
 * Capture is the downlink (what the WhatsApp caller says); injection is the uplink (what the caller hears
 * as this phone's microphone). The core starts both when a call connects and stops both when it ends.
 */
public interface AudioDevice {
    /** Starts delivering captured frames to the sink, each 320 samples, from the platform's capture thread. */
    void startCapture(CaptureSink sink);

    void stopCapture();

    void startInjection();

    /**
     * One 20 ms frame (320 samples) for WhatsApp's microphone. The core's pacer calls it every 20 ms while
     * injection runs, with silence when the station sent nothing, so the injector never starves. Must not
     * block longer than a frame.
     */
    void inject(short[] frame);

    void stopInjection();
}
