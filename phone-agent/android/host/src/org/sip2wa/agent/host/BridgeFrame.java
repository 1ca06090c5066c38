package org.sip2wa.agent.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;

/**
 * The bridge between the host JVM and the virtual phones' Node process (one TCP connection per farm):
 * frames of {@code type u8 | phone u16 | length u32 | payload}, integers big-endian, strings as a u16
 * byte length then UTF-8, as on the agent link. The types mirror phone-agent/simulator/java-agent/bridge.ts.
 */
final class BridgeFrame {
    static final int HEADER = 7;

    // Node -> JVM
    static final int START = 1;
    static final int STOP = 2;
    static final int INFO = 3;
    static final int RINGING = 5;
    static final int CONNECTED = 6;
    static final int ENDED = 7;
    static final int INCOMING = 8;
    static final int MESSAGE_RECEIVED = 9;
    static final int MESSAGE_SENT = 10;
    static final int AUDIO_DOWN = 11;
    static final int ACCOUNT_STATE = 12;
    // JVM -> Node
    static final int STARTED = 101;
    static final int START_FAILED = 102;
    static final int STOPPED = 103;
    static final int INFO_REQUEST = 104;
    static final int DIAL = 105;
    static final int ANSWER = 106;
    static final int DECLINE = 107;
    static final int HANG_UP = 108;
    static final int SEND_MESSAGE = 109;
    static final int AUDIO_UP = 110;
    static final int INCOMING_ID = 111;

    private static final Charset UTF8 = Charset.forName("UTF-8");

    private BridgeFrame() {
    }

    /** Builds one payload. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Writer u32(long v) {
            for (int i = 3; i >= 0; i--) out.write((int) (v >>> (8 * i)));
            return this;
        }

        Writer str(String s) {
            byte[] b = s.getBytes(UTF8);
            u16(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Writer bytes(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        byte[] frame(int type, int phone) {
            byte[] payload = out.toByteArray();
            byte[] f = new byte[HEADER + payload.length];
            f[0] = (byte) type;
            f[1] = (byte) (phone >>> 8);
            f[2] = (byte) phone;
            for (int i = 0; i < 4; i++) f[3 + i] = (byte) (payload.length >>> (8 * (3 - i)));
            System.arraycopy(payload, 0, f, HEADER, payload.length);
            return f;
        }
    }

    /** Reads one payload. */
    static final class Reader {
        private final byte[] p;
        private int at;

        Reader(byte[] p) {
            this.p = p;
        }

        int u8() {
            return p[at++] & 0xff;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        long u32() {
            return ((long) u16() << 16) | u16();
        }

        long u64() {
            return (u32() << 32) | u32();
        }

        String str() {
            int n = u16();
            String s = new String(p, at, n, UTF8);
            at += n;
            return s;
        }

        byte[] rest() {
            byte[] b = new byte[p.length - at];
            System.arraycopy(p, at, b, 0, b.length);
            at = p.length;
            return b;
        }
    }
}
