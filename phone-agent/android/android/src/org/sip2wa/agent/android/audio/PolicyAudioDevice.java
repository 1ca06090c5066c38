package org.sip2wa.agent.android.audio;

import org.sip2wa.agent.platform.AudioDevice;
import org.sip2wa.agent.platform.CaptureSink;

/**
 * WhatsApp's call audio through the two registered policies: capture hands the downlink reader's frames to
 * the core's sink; injection queues the core's frames for the uplink feeder, which writes silence when
 * none are queued.
 */
final class PolicyAudioDevice implements AudioDevice {
    private final DownlinkReader downlink;
    private final UplinkFeeder uplink;

    PolicyAudioDevice(DownlinkReader downlink, UplinkFeeder uplink) {
        this.downlink = downlink;
        this.uplink = uplink;
    }

    @Override
    public void startCapture(CaptureSink sink) {
        downlink.deliverTo(sink);
    }

    @Override
    public void stopCapture() {
        downlink.deliverTo(null);
    }

    @Override
    public void startInjection() {
        uplink.flush();
    }

    @Override
    public void inject(short[] frame) {
        uplink.offer(frame);
    }

    @Override
    public void stopInjection() {
        uplink.flush();
    }
}
