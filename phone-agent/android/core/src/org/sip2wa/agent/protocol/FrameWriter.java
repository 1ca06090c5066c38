package org.sip2wa.agent.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes whole frames to one connection. Synchronized, because the event thread (replies, events) and
 * the audio threads (downlink frames) share a connection, and a frame must never interleave with another.
 */
public final class FrameWriter {
    private final OutputStream out;

    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    public void write(Message m) throws IOException {
        writeRaw(Codec.encode(m));
    }

    /** Bytes as one write, flushed. */
    public synchronized void writeRaw(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
    }
}
