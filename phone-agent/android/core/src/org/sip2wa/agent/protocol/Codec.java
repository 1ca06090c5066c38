package org.sip2wa.agent.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * Encodes a message as one frame and decodes one payload of a known type, driven by the message table
 * (PROTOCOL.md, "Frames" and "Field encodings"). Encoding checks every value, so a bad value fails in the
 * agent that made it; decoding consumes every payload byte.
 */
public final class Codec {
    private static final Charset UTF8 = Charset.forName("UTF-8");

    private Codec() {
    }

    /** The whole frame (header and payload). Throws IllegalArgumentException for a value out of range. */
    public static byte[] encode(Message m) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream(64);
        MessageType t = m.type;
        for (int i = 0; i < t.fieldCount(); i++) writeField(payload, t, t.field(i), m.value(i));
        int length = payload.size();
        if (length > Protocol.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("frame '" + t.wireName + "' of " + length + " bytes exceeds the "
                    + Protocol.MAX_PAYLOAD_BYTES + "-byte limit");
        }
        byte[] frame = new byte[Protocol.HEADER_BYTES + length];
        frame[0] = (byte) t.id;
        frame[1] = 0;
        putU32(frame, 2, length);
        System.arraycopy(payload.toByteArray(), 0, frame, Protocol.HEADER_BYTES, length);
        return frame;
    }

    private static void writeField(ByteArrayOutputStream out, MessageType t, Field f, Object v) {
        switch (f.kind) {
            case MAGIC:
                out.write(Protocol.HELLO_MAGIC.getBytes(UTF8), 0, 4);
                return;
            case U8:
                writeInt(out, checkRange(t, f, v, 0, 0xff), 1);
                return;
            case U16:
                writeInt(out, checkRange(t, f, v, 0, 0xffff), 2);
                return;
            case I16:
                writeInt(out, checkRange(t, f, v, Short.MIN_VALUE, Short.MAX_VALUE), 2);
                return;
            case U32:
                writeInt(out, checkRange(t, f, v, 0, 0xffffffffL), 4);
                return;
            case U64:
                writeInt(out, checkRange(t, f, v, 0, Protocol.MAX_SAFE_INTEGER), 8);
                return;
            case BOOL:
                if (!(v instanceof Boolean)) throw bad(t, f, v, "a Boolean");
                out.write((Boolean) v ? 1 : 0);
                return;
            case STR: {
                if (!(v instanceof String)) throw bad(t, f, v, "a String");
                byte[] bytes = ((String) v).getBytes(UTF8);
                if (bytes.length > 0xffff) throw bad(t, f, bytes.length + " UTF-8 bytes", "at most 65535 bytes");
                writeInt(out, bytes.length, 2);
                out.write(bytes, 0, bytes.length);
                return;
            }
            case ENUM:
                out.write(enumIndex(t, f, v));
                return;
            case PCM: {
                if (!(v instanceof byte[]) || ((byte[]) v).length % 2 != 0) throw bad(t, f, v, "an even byte[]");
                byte[] pcm = (byte[]) v;
                out.write(pcm, 0, pcm.length);
                return;
            }
            default:
                throw new AssertionError(f.kind);
        }
    }

    private static int enumIndex(MessageType t, Field f, Object v) {
        for (int i = 0; i < f.values.length; i++) {
            if (f.values[i] == v) return i;
        }
        throw bad(t, f, v, "one of its enum values");
    }

    private static long checkRange(MessageType t, Field f, Object v, long min, long max) {
        if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
            throw bad(t, f, v, "an integer");
        }
        long n = ((Number) v).longValue();
        if (n < min || n > max) throw bad(t, f, v, "an integer " + min + ".." + max);
        return n;
    }

    private static IllegalArgumentException bad(MessageType t, Field f, Object v, String expected) {
        return new IllegalArgumentException("frame '" + t.wireName + "' field '" + f.name + "' is " + v + ", expected " + expected);
    }

    private static void writeInt(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)) & 0xff);
    }

    static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** Decodes one complete payload of a known type; every byte must belong to a field. */
    public static Message decodePayload(MessageType t, byte[] payload) throws ProtocolException {
        Object[] values = new Object[t.fieldCount()];
        int[] pos = {0};
        for (int i = 0; i < values.length; i++) values[i] = readField(t, t.field(i), payload, pos);
        int left = payload.length - pos[0];
        if (left > 0) {
            throw new ProtocolException(DecodeError.BAD_LENGTH, "frame '" + t.wireName + "' has " + left
                    + " bytes left after its last field (payload " + payload.length + " bytes)");
        }
        return new Message(t, values);
    }

    private static Object readField(MessageType t, Field f, byte[] p, int[] pos) throws ProtocolException {
        switch (f.kind) {
            case MAGIC: {
                int at = take(t, f, p, pos, 4);
                String got = new String(p, at, 4, Charset.forName("ISO-8859-1"));
                if (!got.equals(Protocol.HELLO_MAGIC)) {
                    throw new ProtocolException(DecodeError.BAD_MAGIC, "frame '" + t.wireName + "' starts with "
                            + hex(p, at, 4) + ", expected the magic \"" + Protocol.HELLO_MAGIC + "\"");
                }
                return null;
            }
            case U8:
                return (int) readInt(p, take(t, f, p, pos, 1), 1);
            case U16:
                return (int) readInt(p, take(t, f, p, pos, 2), 2);
            case I16:
                return (int) (short) readInt(p, take(t, f, p, pos, 2), 2);
            case U32:
                return readInt(p, take(t, f, p, pos, 4), 4);
            case U64: {
                int at = take(t, f, p, pos, 8);
                long v = readInt(p, at, 8);
                if (v < 0 || v > Protocol.MAX_SAFE_INTEGER) {
                    throw badField(t, f, "is " + unsigned64(v) + ", beyond the safe integer range of the station");
                }
                return v;
            }
            case BOOL: {
                int b = p[take(t, f, p, pos, 1)] & 0xff;
                if (b > 1) throw badField(t, f, "is " + b + ", expected 0 or 1");
                return b == 1;
            }
            case STR: {
                int length = (int) readInt(p, take(t, f, p, pos, 2), 2);
                int at = take(t, f, p, pos, length);
                return utf8(t, f, p, at, length);
            }
            case ENUM: {
                int index = p[take(t, f, p, pos, 1)] & 0xff;
                if (index >= f.values.length) {
                    throw badField(t, f, "has index " + index + ", but only 0.." + (f.values.length - 1) + " are defined");
                }
                return f.values[index];
            }
            case PCM: {
                int rest = p.length - pos[0];
                if (rest % 2 != 0) {
                    throw new ProtocolException(DecodeError.BAD_LENGTH, "frame '" + t.wireName + "' field '" + f.name
                            + "' has " + rest + " bytes, expected whole 16-bit samples");
                }
                byte[] pcm = new byte[rest];
                System.arraycopy(p, take(t, f, p, pos, rest), pcm, 0, rest);
                return pcm;
            }
            default:
                throw new AssertionError(f.kind);
        }
    }

    private static int take(MessageType t, Field f, byte[] p, int[] pos, int bytes) throws ProtocolException {
        int at = pos[0];
        if (at + bytes > p.length) {
            throw new ProtocolException(DecodeError.BAD_LENGTH, "frame '" + t.wireName + "' field '" + f.name + "' needs "
                    + bytes + " bytes at offset " + at + ", but the payload has " + p.length + " bytes");
        }
        pos[0] = at + bytes;
        return at;
    }

    private static String utf8(MessageType t, Field f, byte[] p, int at, int length) throws ProtocolException {
        CharsetDecoder decoder = UTF8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(p, at, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw badField(t, f, "is not valid UTF-8 (" + hex(p, at, length) + ")");
        }
    }

    private static ProtocolException badField(MessageType t, Field f, String why) {
        return new ProtocolException(DecodeError.BAD_FIELD, "frame '" + t.wireName + "' field '" + f.name + "' " + why);
    }

    static long readInt(byte[] p, int at, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) v = (v << 8) | (p[at + i] & 0xff);
        return v;
    }

    private static String unsigned64(long v) {
        return v >= 0 ? Long.toString(v) : java.math.BigInteger.valueOf(v).add(java.math.BigInteger.ONE.shiftLeft(64)).toString();
    }

    static String hex(byte[] p, int at, int length) {
        StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) sb.append(String.format("%02x", p[at + i] & 0xff));
        return sb.toString();
    }
}
