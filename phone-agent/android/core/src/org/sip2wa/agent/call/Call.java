package org.sip2wa.agent.call;

/** One call the agent reported to the station. Touched on the event thread only. */
public final class Call {
    public final int id;
    public final boolean incoming;
    public final String number;
    CallState state;

    Call(int id, boolean incoming, String number, CallState state) {
        this.id = id;
        this.incoming = incoming;
        this.number = number;
        this.state = state;
    }

    public CallState state() {
        return state;
    }

    /** The id as the protocol writes it, e.g. 0x80000001. */
    public String hexId() {
        return CallTable.hex(id);
    }
}
