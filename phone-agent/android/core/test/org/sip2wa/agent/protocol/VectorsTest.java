package org.sip2wa.agent.protocol;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The shared vectors pin the Java codec to the same bytes as the TypeScript one: every message vector
 * decodes whole and byte by byte, consuming every byte, and encodes back to exactly its bytes; every error
 * vector raises its code; and every message type and decoder error code has a vector.
 */
public class VectorsTest {
    private static List<Vector> vectors;

    @BeforeClass
    public static void load() throws Exception {
        vectors = Vector.loadAll();
        assertTrue("no vectors found in " + Vector.dir(), vectors.size() > 10);
    }

    @Test
    public void everyMessageVectorDecodesWholeAndByteByByte() throws Exception {
        for (Vector v : messageVectors()) {
            assertEquals(v.file + " whole", v.message, Vector.toJson(decodeOne(v.file, v.bytes, v.bytes.length)));
            assertEquals(v.file + " byte by byte", v.message, Vector.toJson(decodeOne(v.file, v.bytes, 1)));
        }
    }

    @Test
    public void everyMessageVectorEncodesToItsBytes() {
        for (Vector v : messageVectors()) {
            assertArrayEquals(v.file, v.bytes, Codec.encode(Vector.fromJson(v.message)));
        }
    }

    @Test
    public void everyErrorVectorRaisesItsCodeWholeAndByteByByte() {
        for (Vector v : errorVectors()) {
            assertEquals(v.file + " whole", v.errorCode, errorOf(v.bytes, v.bytes.length));
            assertEquals(v.file + " byte by byte", v.errorCode, errorOf(v.bytes, 1));
        }
    }

    @Test
    public void everyMessageTypeAndErrorCodeHasAVector() {
        Set<String> types = new HashSet<String>();
        Set<String> codes = new HashSet<String>();
        for (Vector v : vectors) {
            if (v.message != null) types.add((String) v.message.get("type"));
            else codes.add(v.errorCode);
        }
        List<String> missing = new ArrayList<String>();
        for (MessageType t : MessageType.values()) {
            if (!types.contains(t.wireName)) missing.add("message " + t.wireName);
        }
        for (DecodeError e : EnumSet.allOf(DecodeError.class)) {
            if (!codes.contains(e.wireName)) missing.add("error " + e.wireName);
        }
        assertEquals("types and codes without a vector", new ArrayList<String>(), missing);
    }

    @Test
    public void aReaderStaysFailedAfterGarbage() throws Exception {
        FrameReader r = new FrameReader();
        try {
            r.push(new byte[] {0x7e, 0, 0, 0, 0, 0}, 0, 6, new ArrayList<Message>());
            fail("unknown type accepted");
        } catch (ProtocolException e) {
            assertEquals(DecodeError.UNKNOWN_TYPE, e.code);
            assertTrue(e.getMessage(), e.getMessage().contains("0x7e"));
        }
        byte[] ping = Codec.encode(Message.of(MessageType.PING, 1L));
        try {
            r.push(ping, 0, ping.length, new ArrayList<Message>());
            fail("a failed reader decoded again");
        } catch (ProtocolException e) {
            assertEquals(DecodeError.UNKNOWN_TYPE, e.code);
        }
    }

    @Test
    public void encodeRefusesValuesOutOfRange() {
        try {
            Codec.encode(Message.of(MessageType.PING, 0x100000000L));
            fail("u32 overflow encoded");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nonce"));
        }
    }

    private List<Vector> messageVectors() {
        List<Vector> out = new ArrayList<Vector>();
        for (Vector v : vectors) if (v.message != null) out.add(v);
        return out;
    }

    private List<Vector> errorVectors() {
        List<Vector> out = new ArrayList<Vector>();
        for (Vector v : vectors) if (v.errorCode != null) out.add(v);
        return out;
    }

    /** Decodes in chunks of {@code step} bytes; exactly one message, and no byte left buffered. */
    private static Message decodeOne(String file, byte[] bytes, int step) throws ProtocolException {
        FrameReader r = new FrameReader();
        List<Message> out = new ArrayList<Message>();
        for (int at = 0; at < bytes.length; at += step) r.push(bytes, at, Math.min(step, bytes.length - at), out);
        r.end();
        assertEquals(file + ": messages decoded", 1, out.size());
        assertTrue(file + ": bytes left over", r.idle());
        assertNotNull(out.get(0));
        return out.get(0);
    }

    /** The code raised by the bytes (the stream ending after them), or "none". */
    private static String errorOf(byte[] bytes, int step) {
        FrameReader r = new FrameReader();
        List<Message> out = new ArrayList<Message>();
        try {
            for (int at = 0; at < bytes.length; at += step) r.push(bytes, at, Math.min(step, bytes.length - at), out);
            r.end();
            return "none (decoded " + out + ")";
        } catch (ProtocolException e) {
            return e.code.wireName;
        }
    }
}
