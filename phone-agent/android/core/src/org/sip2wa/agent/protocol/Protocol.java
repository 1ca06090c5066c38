package org.sip2wa.agent.protocol;

/** The constants of messages.ts the agent needs. */
public final class Protocol {
    /** The version both sides must speak exactly (PROTOCOL.md, "Handshake"). */
    public static final int VERSION = 3;
    public static final String HELLO_MAGIC = "S2WA";
    public static final String SOCKET_NAME = "sip2wa_agent";
    public static final int HEADER_BYTES = 6;
    public static final int MAX_PAYLOAD_BYTES = 65536;
    public static final int FRAME_SAMPLES = 320;
    public static final int FRAME_MS = 20;
    public static final long INCOMING_CALL_ID_BIT = 0x80000000L;
    public static final long MAX_STATION_CALL_ID = 0x7fffffffL;
    /** Largest u64 the station can hold (a JS number). */
    public static final long MAX_SAFE_INTEGER = 9007199254740991L;

    /** Codes of the agent's `error` message. */
    public static final int ERROR_VERSION_MISMATCH = 1;
    public static final int ERROR_UNKNOWN_CALL = 2;
    public static final int ERROR_BAD_COMMAND = 3;
    public static final int ERROR_HANDSHAKE = 4;

    private Protocol() {
    }
}
