package org.sip2wa.agent.protocol;

/**
 * What one station connection carries, named by the station's `channel` message right after its hello
 * (PROTOCOL.md, "Channels"): commands and events, or one call's audio.
 */
public enum Channel implements WireEnum {
    CONTROL("control"), AUDIO("audio");

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
