package org.sip2wa.agent.android.reflect;

/**
 * A hidden Android member that is missing or failed, named the way a reader of AOSP would look it up,
 * e.g. "AudioMixingRule$Builder.voiceCommunicationCaptureAllowed(boolean) not found". The message is what
 * the probe and the log show, so a phone's owner can report it without a stack trace.
 */
public final class LookupException extends Exception {
    private static final long serialVersionUID = 1L;

    public LookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
