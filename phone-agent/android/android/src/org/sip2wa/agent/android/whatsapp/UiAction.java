package org.sip2wa.agent.android.whatsapp;

/** The buttons the agent presses on WhatsApp's call screens. */
public enum UiAction {
    /** The incoming-call screen's accept button (or the answer action of the call notification). */
    ANSWER,
    /** The incoming-call screen's decline button. */
    DECLINE,
    /** The end-call button of a call in progress or being placed. */
    END_CALL,
    /** The "Call?" confirmation some versions show after the call intent. */
    CONFIRM_CALL
}
