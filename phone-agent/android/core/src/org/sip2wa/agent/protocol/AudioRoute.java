package org.sip2wa.agent.protocol;

/**
 * The `audioRoute` enum of `info`: how the agent reaches WhatsApp's call audio on this phone. The
 * declaration order is the wire index; values are only appended.
 */
public enum AudioRoute implements WireEnum {
    /** No route works on this phone (stock Android 10-12 without root): calls carry no audio. */
    NONE("none"),
    /** Dynamic audio-policy mixes: a player mix for the downlink, an injector mix for the uplink. */
    AUDIO_POLICY("audio-policy"),
    /** The same mixes, run as uid 0. */
    ROOT("root"),
    CUSTOM_ROM("custom-rom"),
    /** A virtual phone: the simulated WhatsApp's audio. */
    SIMULATED("simulated");

    private final String wireName;

    AudioRoute(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
