package org.sip2wa.agent.host;

import org.sip2wa.agent.protocol.DecodeError;
import org.sip2wa.agent.protocol.Field;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.protocol.Protocol;
import org.sip2wa.agent.protocol.WireEnum;

/**
 * Prints the Java message table as JSON on stdout, for the test that compares it with messages.ts
 * (phone-agent/android/message-table.test.ts): every id, direction, field name, kind and order, enum
 * value, and the constants both sides must share.
 */
public final class MessageTableDump {
    private MessageTableDump() {
    }

    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder("{\"version\":").append(Protocol.VERSION);
        sb.append(",\"magic\":").append(quote(Protocol.HELLO_MAGIC));
        sb.append(",\"socket\":").append(quote(Protocol.SOCKET_NAME));
        sb.append(",\"headerBytes\":").append(Protocol.HEADER_BYTES);
        sb.append(",\"maxPayloadBytes\":").append(Protocol.MAX_PAYLOAD_BYTES);
        sb.append(",\"incomingCallIdBit\":").append(Protocol.INCOMING_CALL_ID_BIT);
        sb.append(",\"maxStationCallId\":").append(Protocol.MAX_STATION_CALL_ID);
        sb.append(",\"agentErrorCodes\":{\"versionMismatch\":").append(Protocol.ERROR_VERSION_MISMATCH)
                .append(",\"unknownCall\":").append(Protocol.ERROR_UNKNOWN_CALL)
                .append(",\"badCommand\":").append(Protocol.ERROR_BAD_COMMAND)
                .append(",\"handshake\":").append(Protocol.ERROR_HANDSHAKE).append('}');
        sb.append(",\"decodeErrors\":[");
        for (DecodeError e : DecodeError.values()) sb.append(e.ordinal() == 0 ? "" : ",").append(quote(e.wireName));
        sb.append("],\"messages\":{");
        boolean first = true;
        for (MessageType t : MessageType.values()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(quote(t.wireName)).append(":{\"id\":").append(t.id).append(",\"direction\":")
                    .append(quote(t.direction.wireName)).append(",\"fields\":[");
            Field[] fields = t.fields();
            for (int i = 0; i < fields.length; i++) {
                Field f = fields[i];
                sb.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(f.name)).append(",\"kind\":")
                        .append(quote(f.kind.wireName));
                if (f.values != null) {
                    sb.append(",\"values\":[");
                    for (int v = 0; v < f.values.length; v++) {
                        WireEnum e = f.values[v];
                        sb.append(v == 0 ? "" : ",").append(quote(e.wireName()));
                    }
                    sb.append(']');
                }
                sb.append('}');
            }
            sb.append("]}");
        }
        sb.append("}}");
        System.out.println(sb);
    }

    /** The table holds ASCII names only. */
    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
