package org.sip2wa.agent.protocol;

/**
 * Bytes that break a rule of PROTOCOL.md. The code says which rule, the message what and why ("frame type
 * 0x7e is unknown"). Every code closes the link: after garbage the frame boundaries cannot be trusted.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public final DecodeError code;

    public ProtocolException(DecodeError code, String message) {
        super(code.wireName + ": " + message);
        this.code = code;
    }
}
