package org.sip2wa.agent.protocol;

/** One field of a message: its name in messages.ts, its encoding and, for an enum, its value list. */
public final class Field {
    public final String name;
    public final FieldKind kind;
    /** The enum's values in wire order, null for other kinds. */
    public final WireEnum[] values;

    private Field(String name, FieldKind kind, WireEnum[] values) {
        this.name = name;
        this.kind = kind;
        this.values = values;
    }

    static Field of(String name, FieldKind kind) {
        return new Field(name, kind, null);
    }

    static Field enumOf(String name, WireEnum[] values) {
        return new Field(name, FieldKind.ENUM, values);
    }
}
