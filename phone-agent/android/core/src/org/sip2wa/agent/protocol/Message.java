package org.sip2wa.agent.protocol;

import java.util.Arrays;

/**
 * One decoded or to-be-encoded message: its type and one value per field, in wire order. Values by kind:
 * u8/u16/i16 Integer, u32/u64 Long (u32 unsigned, 0..0xffffffff), bool Boolean, str String, enum the
 * WireEnum constant, pcm byte[] (s16le). The magic field holds no value.
 */
public final class Message {
    public final MessageType type;
    private final Object[] values;

    Message(MessageType type, Object[] values) {
        this.type = type;
        this.values = values;
    }

    /** A message from its non-magic field values in wire order, e.g. {@code of(PING, 12345L)}. */
    public static Message of(MessageType type, Object... fieldValues) {
        Object[] all = new Object[type.fieldCount()];
        int next = 0;
        for (int i = 0; i < all.length; i++) {
            if (type.field(i).kind == FieldKind.MAGIC) continue;
            if (next >= fieldValues.length) {
                throw new IllegalArgumentException(type.wireName + " needs a value for field '" + type.field(i).name + "'");
            }
            all[i] = fieldValues[next++];
        }
        if (next != fieldValues.length) {
            throw new IllegalArgumentException(type.wireName + " has " + next + " fields, got " + fieldValues.length + " values");
        }
        return new Message(type, all);
    }

    /** The value at a field index (null for magic). */
    public Object value(int index) {
        return values[index];
    }

    public Object get(String field) {
        int i = type.indexOf(field);
        if (i < 0) throw new IllegalArgumentException(type.wireName + " has no field '" + field + "'");
        return values[i];
    }

    public long getLong(String field) {
        return ((Number) get(field)).longValue();
    }

    public int getInt(String field) {
        return ((Number) get(field)).intValue();
    }

    public String getString(String field) {
        return (String) get(field);
    }

    public boolean getBool(String field) {
        return (Boolean) get(field);
    }

    public WireEnum getEnum(String field) {
        return (WireEnum) get(field);
    }

    public byte[] getPcm(String field) {
        return (byte[]) get(field);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.wireName).append('{');
        for (int i = 0; i < values.length; i++) {
            Field f = type.field(i);
            if (f.kind == FieldKind.MAGIC) continue;
            if (sb.charAt(sb.length() - 1) != '{') sb.append(", ");
            Object v = values[i];
            sb.append(f.name).append('=');
            if (v instanceof byte[]) sb.append(((byte[]) v).length).append(" bytes");
            else if (v instanceof WireEnum) sb.append(((WireEnum) v).wireName());
            else sb.append(v);
        }
        return sb.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Message)) return false;
        Message m = (Message) o;
        return m.type == type && Arrays.deepEquals(values, m.values);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.deepHashCode(values);
    }
}
