package org.sip2wa.agent.android.whatsapp;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * WhatsApp's call-screen status texts (English UI), turned into what they mean: a phase while the call
 * lasts and an outcome hint when it ends. The screen is read by UiAutomation; audio signals decide when it
 * cannot be read. None of these strings has been checked on a phone from here.
 */
public final class CallScreen {
    /** What a status text says. */
    public enum Status {
        NONE, CALLING, RINGING, TIMER, BUSY, DECLINED, UNAVAILABLE, NOT_ON_WHATSAPP
    }

    /** The call timer: "0:07", "12:34", "1:02:03". */
    private static final Pattern TIMER = Pattern.compile("^\\d{1,2}:\\d{2}(:\\d{2})?$");

    private CallScreen() {
    }

    public static Status classify(String text) {
        if (text == null) return Status.NONE;
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.length() == 0) return Status.NONE;
        if (TIMER.matcher(t).matches()) return Status.TIMER;
        if (t.startsWith("ringing")) return Status.RINGING;
        if (t.startsWith("calling") || t.startsWith("connecting") || t.startsWith("reconnecting")) return Status.CALLING;
        if (t.contains("on another call") || t.contains("busy")) return Status.BUSY;
        if (t.contains("declined") || t.contains("rejected")) return Status.DECLINED;
        if (t.contains("not on whatsapp") || t.contains("isn't on whatsapp")) return Status.NOT_ON_WHATSAPP;
        if (t.contains("unavailable") || t.contains("not answered") || t.contains("no answer")) return Status.UNAVAILABLE;
        return Status.NONE;
    }

    /** "WhatsApp voice call", "Incoming voice call": the incoming screen's title, not the caller. */
    public static boolean isIncomingLabel(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.contains("voice call") || t.contains("video call") || t.equals("whatsapp");
    }

    /** Whether a text on the call screen is a status text at all (the screen also shows the name). */
    public static boolean isStatus(String text) {
        return classify(text) != Status.NONE;
    }
}
