package org.sip2wa.agent.protocol;

/** Field encodings (PROTOCOL.md, "Field encodings"); the names are those of messages.ts. */
public enum FieldKind {
    MAGIC("magic", 4), U8("u8", 1), BOOL("bool", 1), U16("u16", 2), I16("i16", 2), U32("u32", 4), U64("u64", 8),
    /** u16 byte length, then UTF-8: 2 bytes at least. */
    STR("str", -1),
    ENUM("enum", 1),
    /** Every remaining payload byte. */
    PCM("pcm", -1);

    public final String wireName;
    /** Wire size, or -1 when it depends on the value. */
    public final int fixedSize;

    FieldKind(String wireName, int fixedSize) {
        this.wireName = wireName;
        this.fixedSize = fixedSize;
    }

    /** Bytes the field takes at least: its fixed size, or a string's length prefix. */
    public int minSize() {
        if (fixedSize >= 0) return fixedSize;
        return this == STR ? 2 : 0;
    }
}
