package org.sip2wa.agent.protocol;

/** An enum carried on the wire as its index into a named value list (PROTOCOL.md, "Field encodings"). */
public interface WireEnum {
    /** The value's name in PROTOCOL.md and messages.ts, e.g. "not-on-whatsapp". */
    String wireName();
}
