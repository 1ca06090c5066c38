package org.sip2wa.agent.audio;

import org.sip2wa.agent.platform.CaptureSink;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.protocol.Protocol;

/**
 * Turns captured WhatsApp audio into `audio` frames for the station: seq counts frames, timestamp counts
 * samples, both wrap at 2^32 (PROTOCOL.md, "Audio"). Frames go out as they are captured, which the
 * capture device paces at one per 20 ms. Runs on the capture thread.
 */
public final class DownlinkSender implements CaptureSink {
    /** Where frames go: the audio connection, if the window is open. */
    public interface Output {
        /** False when the frame was dropped (no audio window). */
        boolean sendDownlink(Message frame);
    }

    private final Output out;
    private long seq;
    private long timestamp;

    public DownlinkSender(Output out) {
        this.out = out;
    }

    @Override
    public void onFrame(short[] frame) {
        byte[] pcm = new byte[frame.length * 2];
        for (int i = 0; i < frame.length; i++) {
            pcm[2 * i] = (byte) frame[i];
            pcm[2 * i + 1] = (byte) (frame[i] >> 8);
        }
        Message m = Message.of(MessageType.AUDIO, seq, timestamp, pcm);
        if (out.sendDownlink(m)) {
            seq = (seq + 1) & 0xffffffffL;
            timestamp = (timestamp + Protocol.FRAME_SAMPLES) & 0xffffffffL;
        }
    }
}
