package org.sip2wa.agent.audio;

import org.sip2wa.agent.link.StationLink;
import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.AudioDevice;
import org.sip2wa.agent.platform.Clock;
import org.sip2wa.agent.protocol.Message;

/**
 * The audio of the one connected call. Capture and injection run from call-connected to call-ended (the
 * injector is always fed, silence when the station sends nothing); frames cross the link only inside the
 * window the station opens with audio-start on the audio connection and closes with audio-stop, a lost
 * audio connection or the call's end. Outside it they are dropped, both ways.
 */
public final class CallAudio implements DownlinkSender.Output {
    /** Uplink jitter buffer: 160 ms, room for the deepest adaptive target and a burst on top of it. */
    static final int FIFO_FRAMES = 8;

    private final AudioDevice device;
    private final StationLink link;
    private final AgentLog log;
    private final JitterFifo fifo = new JitterFifo(FIFO_FRAMES);
    private final UplinkInjector injector;
    private final DownlinkSender downlink = new DownlinkSender(this);
    /** The connected call, 0 for none. */
    private volatile int active;
    /** The call whose audio window is open, 0 for none. */
    private volatile int window;

    public CallAudio(AudioDevice device, Clock clock, StationLink link, AgentLog log) {
        this.device = device;
        this.link = link;
        this.log = log;
        this.injector = new UplinkInjector(device, fifo, clock, log);
    }

    public void callConnected(int callId) {
        if (active != 0) {
            log.warn("call " + Integer.toHexString(callId) + " connected while another carries audio: it gets none");
            return;
        }
        active = callId;
        fifo.clear();
        device.startInjection();
        injector.start();
        device.startCapture(downlink);
    }

    public void callEnded(int callId) {
        if (window == callId) window = 0;
        if (active != callId) return;
        active = 0;
        device.stopCapture();
        injector.stop();
        device.stopInjection();
        fifo.clear();
    }

    /** audio-start for a known call. */
    public void open(int callId) {
        window = callId;
    }

    /** audio-stop for a known call. */
    public void close(int callId) {
        if (window == callId) window = 0;
    }

    public void channelLost() {
        window = 0;
    }

    /** A station frame, from the audio connection. */
    public void uplink(byte[] pcm) {
        if (window != 0 && window == active) fifo.offer(pcm);
    }

    @Override
    public boolean sendDownlink(Message frame) {
        if (window == 0 || window != active) return false;
        link.sendAudio(frame);
        return true;
    }

    JitterFifo fifo() {
        return fifo;
    }
}
