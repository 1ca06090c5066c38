package org.sip2wa.agent.platform;

import org.sip2wa.agent.protocol.AccountState;

/**
 * Commands to WhatsApp on the phone. Each returns at once (the work happens on the platform's own
 * threads) and reports back through the {@link WhatsAppListener}. Call ids are the protocol's: the
 * station's for outbound calls, the core's (top bit set) for incoming ones, announced by
 * {@link WhatsAppListener#incoming}. The core calls these from its single event thread.
 */
public interface WhatsAppControl {
    /** Set once by the core before the first command. */
    void setListener(WhatsAppListener listener);

    /** Places a call to an international number without "+"; reports dialing, then ringing/connected/ended. */
    void dial(int callId, String number);

    /** Answers the ringing incoming call; reports connected, or ended if it was already gone. */
    void answer(int callId);

    /** Declines the ringing incoming call; reports ended {rejected}. */
    void decline(int callId);

    /** Ends the call in any state; reports ended {local-hangup}. */
    void hangUp(int callId);

    /** Sends a text; reports messageSent(messageId, ...). Where it is not supported: ok false with the reason. */
    void sendMessage(long messageId, String to, String text);

    /**
     * The WhatsApp account's health as last read (PROTOCOL.md, "Account state"); never null, UNKNOWN when
     * the platform cannot tell. Read for every `info`; a change is reported through
     * {@link WhatsAppListener#accountStateChanged} so the station hears it without asking.
     */
    AccountState accountState();
}
