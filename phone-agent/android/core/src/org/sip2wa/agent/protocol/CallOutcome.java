package org.sip2wa.agent.protocol;

/** The `outcome` enum of `call-ended` (PROTOCOL.md, "Calls"); the declaration order is the wire index. */
public enum CallOutcome implements WireEnum {
    REMOTE_HANGUP("remote-hangup"),
    LOCAL_HANGUP("local-hangup"),
    REJECTED("rejected"),
    NO_ANSWER("no-answer"),
    OFFLINE("offline"),
    NOT_ON_WHATSAPP("not-on-whatsapp"),
    BUSY("busy"),
    ERROR("error");

    private final String wireName;

    CallOutcome(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
