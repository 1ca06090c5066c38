package org.sip2wa.agent.protocol;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sip2wa.agent.support.Base64;
import org.sip2wa.agent.support.Json;

/** One shared vector of phone-agent/protocol/vectors/ (format in PROTOCOL.md, "Test vectors"). */
final class Vector {
    final String file;
    final String name;
    final byte[] bytes;
    /** The decoded form as JSON (pcm base64), or null for an error case. */
    final Map<String, Object> message;
    /** The decoder error code, or null for a message case. */
    final String errorCode;

    private Vector(String file, String name, byte[] bytes, Map<String, Object> message, String errorCode) {
        this.file = file;
        this.name = name;
        this.bytes = bytes;
        this.message = message;
        this.errorCode = errorCode;
    }

    /** The vectors folder: the system property sip2wa.vectors, set by the build script. */
    static File dir() {
        String dir = System.getProperty("sip2wa.vectors");
        if (dir == null) throw new IllegalStateException("set -Dsip2wa.vectors to phone-agent/protocol/vectors");
        return new File(dir);
    }

    @SuppressWarnings("unchecked")
    static List<Vector> loadAll() throws IOException {
        File[] files = dir().listFiles();
        if (files == null) throw new IOException("no vectors folder at " + dir());
        Arrays.sort(files);
        List<Vector> out = new ArrayList<Vector>();
        for (File f : files) {
            if (!f.getName().endsWith(".json")) continue;
            String text = new String(Files.readAllBytes(f.toPath()), Charset.forName("UTF-8"));
            Map<String, Object> v = (Map<String, Object>) Json.parse(text);
            Map<String, Object> error = (Map<String, Object>) v.get("error");
            out.add(new Vector(f.getName().replace(".json", ""), (String) v.get("name"),
                    parseBytes((List<Object>) v.get("bytes")), (Map<String, Object>) v.get("message"),
                    error == null ? null : (String) error.get("code")));
        }
        return out;
    }

    private static byte[] parseBytes(List<Object> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object line : lines) {
            String hex = ((String) line).split("\\|", 2)[0].trim();
            if (hex.isEmpty()) continue;
            for (String token : hex.split("\\s+")) out.write(Integer.parseInt(token, 16));
        }
        return out.toByteArray();
    }

    /** The JSON form of a decoded message, comparable with {@link #message}. */
    static Map<String, Object> toJson(Message m) {
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.put("type", m.type.wireName);
        Field[] fields = m.type.fields();
        for (int i = 0; i < fields.length; i++) {
            Object v = m.value(i);
            switch (fields[i].kind) {
                case MAGIC: continue;
                case U8: case U16: case I16: case U32: case U64: out.put(fields[i].name, ((Number) v).longValue()); break;
                case ENUM: out.put(fields[i].name, ((WireEnum) v).wireName()); break;
                case PCM: out.put(fields[i].name, Base64.encode((byte[]) v)); break;
                default: out.put(fields[i].name, v);
            }
        }
        return out;
    }

    /** A message from its JSON form, to encode. */
    static Message fromJson(Map<String, Object> json) {
        MessageType t = MessageType.byWireName((String) json.get("type"));
        if (t == null) throw new IllegalArgumentException("unknown type " + json.get("type"));
        Field[] fields = t.fields();
        List<Object> values = new ArrayList<Object>();
        for (Field f : fields) {
            Object v = json.get(f.name);
            switch (f.kind) {
                case MAGIC: continue;
                case U8: case U16: case I16: values.add(((Number) v).intValue()); break;
                case U32: case U64: values.add(((Number) v).longValue()); break;
                case ENUM: values.add(enumValue(f, (String) v)); break;
                case PCM: values.add(Base64.decode((String) v)); break;
                default: values.add(v);
            }
        }
        return Message.of(t, values.toArray());
    }

    private static WireEnum enumValue(Field f, String name) {
        for (WireEnum e : f.values) {
            if (e.wireName().equals(name)) return e;
        }
        throw new IllegalArgumentException("field " + f.name + " has no value " + name);
    }
}
