package org.sip2wa.agent.link;

/**
 * One station connection's handshake (PROTOCOL.md, "Handshake" and "Channels"):
 *
 * <pre>
 *  awaiting-hello --hello, same version--> awaiting-channel --channel--> ready --close | garbage | EOF--> closed
 *        \--other version (error 1) | other message (error 4) | garbage--> closed
 *                                awaiting-channel --other message (error 4)--> closed
 * </pre>
 */
public enum ConnectionState {
    AWAITING_HELLO, AWAITING_CHANNEL, READY, CLOSED
}
