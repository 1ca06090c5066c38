package org.sip2wa.agent.android.audio;

import org.sip2wa.agent.platform.AudioDevice;
import org.sip2wa.agent.platform.CaptureSink;

/**
 * The audio of a phone whose route is `none`: nothing is captured and injected frames are dropped, so
 * calls still connect and end (the station shows the line has no audio route, and why).
 */
public final class SilentAudioDevice implements AudioDevice {
    @Override
    public void startCapture(CaptureSink sink) {
    }

    @Override
    public void stopCapture() {
    }

    @Override
    public void startInjection() {
    }

    @Override
    public void inject(short[] frame) {
    }

    @Override
    public void stopInjection() {
    }
}
