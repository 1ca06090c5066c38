package org.sip2wa.agent.protocol;

import java.util.List;

/**
 * Streaming decoder: fed whatever the socket delivers (any chunking, down to single bytes), it returns
 * complete messages. The header is checked before any payload byte is buffered, so a garbage length never
 * makes it allocate. After a ProtocolException the stream is unusable: every later call throws it again
 * and the caller closes the link.
 */
public final class FrameReader {
    private final byte[] header = new byte[Protocol.HEADER_BYTES];
    private int headerGot;
    private MessageType current;
    private byte[] payload;
    private int payloadGot;
    private ProtocolException failure;

    /** Appends every message completed by these bytes to {@code out}. */
    public void push(byte[] chunk, int offset, int length, List<Message> out) throws ProtocolException {
        if (failure != null) throw failure;
        try {
            consume(chunk, offset, offset + length, out);
        } catch (ProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /** The stream ended: throws `truncated` if it ended inside a frame. */
    public void end() throws ProtocolException {
        if (failure != null) throw failure;
        if (headerGot == 0) return;
        int total = Protocol.HEADER_BYTES + (current != null ? payload.length : 0);
        String what = current != null ? "frame '" + current.wireName + "'" : "a frame header";
        failure = new ProtocolException(DecodeError.TRUNCATED, "stream ended inside " + what + " (got "
                + (headerGot + payloadGot) + " of " + total + " bytes)");
        throw failure;
    }

    /** True when no partial frame is buffered. */
    public boolean idle() {
        return headerGot == 0;
    }

    private void consume(byte[] chunk, int at, int end, List<Message> out) throws ProtocolException {
        while (at < end || complete()) {
            if (current == null) {
                int n = Math.min(Protocol.HEADER_BYTES - headerGot, end - at);
                System.arraycopy(chunk, at, header, headerGot, n);
                headerGot += n;
                at += n;
                if (headerGot < Protocol.HEADER_BYTES) return;
                current = parseHeader();
                payload = new byte[(int) Codec.readInt(header, 2, 4)];
                payloadGot = 0;
            }
            int n = Math.min(payload.length - payloadGot, end - at);
            System.arraycopy(chunk, at, payload, payloadGot, n);
            payloadGot += n;
            at += n;
            if (!complete()) return;
            Message m = Codec.decodePayload(current, payload);
            current = null;
            payload = null;
            headerGot = 0;
            payloadGot = 0;
            out.add(m);
        }
    }

    private boolean complete() {
        return current != null && payloadGot == payload.length;
    }

    private MessageType parseHeader() throws ProtocolException {
        int id = header[0] & 0xff;
        int flags = header[1] & 0xff;
        long length = Codec.readInt(header, 2, 4);
        MessageType t = MessageType.byId(id);
        if (t == null) throw new ProtocolException(DecodeError.UNKNOWN_TYPE, "frame type " + hex2(id) + " is unknown");
        if (flags != 0) {
            throw new ProtocolException(DecodeError.BAD_FLAGS, "frame '" + t.wireName + "' has flags " + hex2(flags)
                    + ", but the protocol reserves them as 0x00");
        }
        if (length > Protocol.MAX_PAYLOAD_BYTES) {
            throw new ProtocolException(DecodeError.OVERSIZE, "frame of " + length + " bytes exceeds the "
                    + Protocol.MAX_PAYLOAD_BYTES + "-byte limit");
        }
        int fixed = t.fixedPayloadBytes();
        if (fixed >= 0 && length != fixed) {
            throw new ProtocolException(DecodeError.BAD_LENGTH, "frame '" + t.wireName + "' has " + length
                    + " payload bytes, expected " + fixed);
        }
        int min = t.minPayloadBytes();
        if (length < min) {
            throw new ProtocolException(DecodeError.BAD_LENGTH, "frame '" + t.wireName + "' has " + length
                    + " payload bytes, expected at least " + min);
        }
        return t;
    }

    private static String hex2(int v) {
        return String.format("0x%02x", v);
    }
}
