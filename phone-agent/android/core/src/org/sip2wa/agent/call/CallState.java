package org.sip2wa.agent.call;

/**
 * A call's state in the agent (PROTOCOL.md, "Calls"):
 *
 * <pre>
 *  outbound: dial --> DIALING --ringing--> RINGING --connected--> CONNECTED --ended--> (removed)
 *  incoming: incoming --> INCOMING --answer, connected--> CONNECTED
 *  any state --ended--> (removed: exactly one call-ended per call)
 * </pre>
 */
public enum CallState {
    DIALING, RINGING, INCOMING, CONNECTED
}
