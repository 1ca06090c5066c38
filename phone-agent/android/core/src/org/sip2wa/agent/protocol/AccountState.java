package org.sip2wa.agent.protocol;

/**
 * The `accountState` enum of `info` (protocol v3, PROTOCOL.md "Account state"): the health of the phone's
 * WhatsApp account. Only REGISTERED is healthy. The declaration order is the wire index; values are only
 * appended.
 */
public enum AccountState implements WireEnum {
    /** Installed, current, and none of the screens below is showing. */
    REGISTERED("registered"),
    /** The phone-number or verification-code screen: logged out, or asked to verify again. */
    LOGGED_OUT("logged-out"),
    /** "This account is not allowed to use WhatsApp". */
    BANNED("banned"),
    /** No com.whatsapp package on the phone. */
    NOT_INSTALLED("not-installed"),
    /** WhatsApp refuses to work until it is updated. */
    UPDATE_REQUIRED("update-required"),
    /** The agent cannot tell (no window content, or a screen it does not know). */
    UNKNOWN("unknown");

    private final String wireName;

    AccountState(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
