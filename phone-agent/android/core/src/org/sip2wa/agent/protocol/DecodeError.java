package org.sip2wa.agent.protocol;

/** The decoder error codes of PROTOCOL.md ("Errors and keepalive"), named as in the shared vectors. */
public enum DecodeError {
    UNKNOWN_TYPE("unknown-type"),
    BAD_LENGTH("bad-length"),
    OVERSIZE("oversize"),
    TRUNCATED("truncated"),
    BAD_MAGIC("bad-magic"),
    BAD_FIELD("bad-field"),
    BAD_FLAGS("bad-flags");

    public final String wireName;

    DecodeError(String wireName) {
        this.wireName = wireName;
    }
}
