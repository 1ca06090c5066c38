package org.sip2wa.agent.android.whatsapp;

/**
 * What WhatsApp's call looks like from outside, sampled a few times a second.
 *
 * <pre>
 *   outbound:  IDLE -> DIALING -> RINGBACK -> IN_CALL -> IDLE
 *                        \__________\___________________/   (offline, declined, no answer)
 *   incoming:  IDLE -> RINGING_IN -> IN_CALL -> IDLE
 *                         \_____________________/            (declined, caller gave up)
 * </pre>
 */
public enum CallPhase {
    /** No WhatsApp call: audio mode normal, no call streams, no call screen. */
    IDLE,
    /** A call is being placed ("Calling", "Connecting"): communication mode, no ringback yet. */
    DIALING,
    /** The callee's phone rings ("Ringing"): WhatsApp plays its ringback. */
    RINGBACK,
    /** A WhatsApp call rings this phone. */
    RINGING_IN,
    /** Answered: far-end voice playing and the microphone open, or the call timer shown. */
    IN_CALL
}
