package org.sip2wa.agent.protocol;

/** The `networkType` enum of `info`; the declaration order is the wire index, values are only appended. */
public enum NetworkType implements WireEnum {
    NONE("none"), WIFI("wifi"), CELLULAR("cellular"), ETHERNET("ethernet"), UNKNOWN("unknown");

    private final String wireName;

    NetworkType(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
