package org.sip2wa.agent.protocol;

import static org.sip2wa.agent.protocol.Direction.AGENT_TO_STATION;
import static org.sip2wa.agent.protocol.Direction.BOTH;
import static org.sip2wa.agent.protocol.Direction.STATION_TO_AGENT;
import static org.sip2wa.agent.protocol.FieldKind.BOOL;
import static org.sip2wa.agent.protocol.FieldKind.I16;
import static org.sip2wa.agent.protocol.FieldKind.MAGIC;
import static org.sip2wa.agent.protocol.FieldKind.PCM;
import static org.sip2wa.agent.protocol.FieldKind.STR;
import static org.sip2wa.agent.protocol.FieldKind.U16;
import static org.sip2wa.agent.protocol.FieldKind.U32;
import static org.sip2wa.agent.protocol.FieldKind.U64;
import static org.sip2wa.agent.protocol.FieldKind.U8;

/**
 * The message table of PROTOCOL.md, kept by hand in the same order as messages.ts. A vitest test dumps it
 * (MessageTableDump) and fails when any id, field name, kind, order or enum value differs from messages.ts.
 */
public enum MessageType {
    HELLO("hello", 0x00, BOTH, f("magic", MAGIC), f("version", U16), f("software", STR)),
    PING("ping", 0x01, STATION_TO_AGENT, f("nonce", U32)),
    GET_INFO("get-info", 0x02, STATION_TO_AGENT),
    DIAL("dial", 0x03, STATION_TO_AGENT, f("callId", U32), f("number", STR)),
    ANSWER("answer", 0x04, STATION_TO_AGENT, f("callId", U32)),
    DECLINE("decline", 0x05, STATION_TO_AGENT, f("callId", U32)),
    HANG_UP("hang-up", 0x06, STATION_TO_AGENT, f("callId", U32)),
    SEND_MESSAGE("send-message", 0x07, STATION_TO_AGENT, f("messageId", U32), f("to", STR), f("text", STR)),
    AUDIO_START("audio-start", 0x08, STATION_TO_AGENT, f("callId", U32)),
    AUDIO_STOP("audio-stop", 0x09, STATION_TO_AGENT, f("callId", U32)),
    AUDIO_ACK("audio-ack", 0x0A, STATION_TO_AGENT, f("seq", U32)),
    CHANNEL("channel", 0x0B, STATION_TO_AGENT, Field.enumOf("channel", Channel.values())),

    PONG("pong", 0x41, AGENT_TO_STATION, f("nonce", U32)),
    INFO("info", 0x42, AGENT_TO_STATION, f("software", STR), f("account", STR), f("whatsappVersion", STR),
            f("androidVersion", STR), f("sdk", U16), f("manufacturer", STR), f("model", STR),
            f("batteryLevel", U8), f("charging", BOOL), f("temperatureDeciC", I16),
            Field.enumOf("networkType", NetworkType.values()), f("signalLevel", U8),
            Field.enumOf("audioRoute", AudioRoute.values()), Field.enumOf("accountState", AccountState.values())),
    CALL_INCOMING("call-incoming", 0x43, AGENT_TO_STATION, f("callId", U32), f("number", STR), f("name", STR)),
    CALL_DIALING("call-dialing", 0x44, AGENT_TO_STATION, f("callId", U32), f("number", STR)),
    CALL_RINGING("call-ringing", 0x45, AGENT_TO_STATION, f("callId", U32)),
    CALL_CONNECTED("call-connected", 0x46, AGENT_TO_STATION, f("callId", U32)),
    CALL_ENDED("call-ended", 0x47, AGENT_TO_STATION, f("callId", U32),
            Field.enumOf("outcome", CallOutcome.values())),
    MESSAGE_RECEIVED("message-received", 0x48, AGENT_TO_STATION, f("from", STR), f("name", STR), f("text", STR),
            f("time", U64)),
    MESSAGE_SENT("message-sent", 0x49, AGENT_TO_STATION, f("messageId", U32), f("ok", BOOL), f("error", STR)),
    ERROR("error", 0x4F, AGENT_TO_STATION, f("code", U16), f("message", STR)),

    AUDIO("audio", 0x80, BOTH, f("seq", U32), f("timestamp", U32), f("pcm", PCM));

    private static final MessageType[] BY_ID = new MessageType[256];

    static {
        for (MessageType t : values()) BY_ID[t.id] = t;
    }

    /** The name in PROTOCOL.md and messages.ts. */
    public final String wireName;
    public final int id;
    public final Direction direction;
    private final Field[] fields;

    MessageType(String wireName, int id, Direction direction, Field... fields) {
        this.wireName = wireName;
        this.id = id;
        this.direction = direction;
        this.fields = fields;
    }

    private static Field f(String name, FieldKind kind) {
        return Field.of(name, kind);
    }

    /** The fields in wire order (a copy). */
    public Field[] fields() {
        return fields.clone();
    }

    int fieldCount() {
        return fields.length;
    }

    Field field(int index) {
        return fields[index];
    }

    /** Index of the named field, or -1. */
    public int indexOf(String fieldName) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name.equals(fieldName)) return i;
        }
        return -1;
    }

    /** Exact payload size when every field is fixed-size, else -1. */
    int fixedPayloadBytes() {
        int sum = 0;
        for (Field f : fields) {
            if (f.kind.fixedSize < 0) return -1;
            sum += f.kind.fixedSize;
        }
        return sum;
    }

    int minPayloadBytes() {
        int sum = 0;
        for (Field f : fields) sum += f.kind.minSize();
        return sum;
    }

    /** The type with this frame id, or null. */
    public static MessageType byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    public static MessageType byWireName(String name) {
        for (MessageType t : values()) {
            if (t.wireName.equals(name)) return t;
        }
        return null;
    }
}
