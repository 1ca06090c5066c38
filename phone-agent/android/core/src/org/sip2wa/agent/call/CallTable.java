package org.sip2wa.agent.call;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sip2wa.agent.protocol.Protocol;

/**
 * The calls in progress, keyed by protocol call id: station ids 1..0x7FFFFFFF for outbound calls, ids
 * the agent assigns (0x80000000 | n) for incoming ones, so neither side waits for the other to name a call.
 * A call leaves the table when it ends, which is what makes its call-ended unique.
 */
public final class CallTable {
    private final Map<Integer, Call> calls = new LinkedHashMap<Integer, Call>();
    private int nextIncoming = 1;

    /** True for an id the station may give an outbound call. */
    public static boolean isStationId(long id) {
        return id >= 1 && id <= Protocol.MAX_STATION_CALL_ID;
    }

    public Call get(int id) {
        return calls.get(id);
    }

    public boolean isEmpty() {
        return calls.isEmpty();
    }

    public List<Call> all() {
        return new ArrayList<Call>(calls.values());
    }

    Call addOutbound(int id, String number) {
        Call c = new Call(id, false, number, CallState.DIALING);
        calls.put(id, c);
        return c;
    }

    /** A new incoming call with the next agent id; n wraps inside 1..0x7FFFFFFF and skips ids in use. */
    Call addIncoming(String number) {
        int id;
        do {
            id = (int) (Protocol.INCOMING_CALL_ID_BIT | nextIncoming);
            nextIncoming = nextIncoming >= Protocol.MAX_STATION_CALL_ID ? 1 : nextIncoming + 1;
        } while (calls.containsKey(id));
        Call c = new Call(id, true, number, CallState.INCOMING);
        calls.put(id, c);
        return c;
    }

    /** Removes the call; false when it had already ended. */
    boolean remove(int id) {
        return calls.remove(id) != null;
    }

    static String hex(int id) {
        return String.format("0x%08x", id & 0xffffffffL);
    }
}
