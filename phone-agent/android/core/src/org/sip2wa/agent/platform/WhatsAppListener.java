package org.sip2wa.agent.platform;

import org.sip2wa.agent.protocol.AccountState;
import org.sip2wa.agent.protocol.CallOutcome;

/**
 * What WhatsApp did, reported by the platform. May be called from any platform thread; the core hands
 * each event to its event thread, checks it against its call table (an event for a call it does not know,
 * or a second `ended`, is logged and dropped) and turns it into the protocol's events.
 */
public interface WhatsAppListener {
    /** WhatsApp is placing the outbound call. */
    void dialing(int callId, String number);

    /** The callee's phone rings (outbound calls). */
    void ringing(int callId);

    /** The call was answered, on either side. */
    void connected(int callId);

    /** The call is over; at most one per call reaches the station. */
    void ended(int callId, CallOutcome outcome);

    /**
     * A WhatsApp call rings this phone. The core assigns its id (0x80000000 | n) and returns it, so the
     * platform names the call by that id from now on; it returns 0 when the core refuses the call.
     */
    int incoming(String number, String name);

    void messageReceived(String from, String name, String text, long timeMs);

    void messageSent(long messageId, boolean ok, String error);

    /** The account's state changed (a ban screen appeared, WhatsApp was removed...); the core sends `info`. */
    void accountStateChanged(AccountState state);
}
