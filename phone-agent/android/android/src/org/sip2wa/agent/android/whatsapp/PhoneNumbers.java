package org.sip2wa.agent.android.whatsapp;

/**
 * Phone numbers as the protocol carries them (international digits without "+", PROTOCOL.md) and as
 * WhatsApp names accounts in its contact rows (`<digits>@s.whatsapp.net`).
 */
public final class PhoneNumbers {
    /** E.164 allows at most 15 digits; fewer than 6 is no international number. */
    static final int MIN_DIGITS = 6;
    static final int MAX_DIGITS = 15;

    private static final String JID_SUFFIX = "@s.whatsapp.net";

    private PhoneNumbers() {
    }

    /**
     * The digits of a number written as a person would ("+44 20 7946-0000", "0044...", "(555) 0100"), or
     * null when it is not an international number: letters, too few or too many digits.
     */
    public static String normalise(String number) {
        if (number == null) return null;
        String s = number.trim();
        if (s.startsWith("+")) s = s.substring(1);
        else if (s.startsWith("00")) s = s.substring(2);
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') digits.append(c);
            else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') return null;
        }
        if (digits.length() < MIN_DIGITS || digits.length() > MAX_DIGITS || digits.charAt(0) == '0') return null;
        return digits.toString();
    }

    /** The number of a WhatsApp account id ("15550100001@s.whatsapp.net"), or null for groups and others. */
    public static String fromJid(String jid) {
        if (jid == null || !jid.endsWith(JID_SUFFIX)) return null;
        return normalise(jid.substring(0, jid.length() - JID_SUFFIX.length()));
    }

    /** The "+digits" form the contacts provider stores, so WhatsApp's sync matches it to an account. */
    public static String toDialable(String digits) {
        return "+" + digits;
    }
}
