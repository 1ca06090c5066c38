package org.sip2wa.agent.android.whatsapp;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * WhatsApp's call-screen buttons, keyed by the WhatsApp version they were written for. A phone's WhatsApp
 * version picks the newest entry not newer than it (a newer WhatsApp uses the latest table; an older one
 * the oldest). Add an entry when a release moves a button; the probe reports which entry a phone uses.
 *
 * <p>These labels and ids are WhatsApp's English UI as reported for 2.23-2.25; none has been checked on a
 * phone from here (README, "Preparing a real phone").
 */
public final class SelectorTable {
    /** KeyEvent.KEYCODE_HEADSETHOOK: a wired headset's button answers or ends a VoIP call in most apps. */
    static final int KEYCODE_HEADSETHOOK = 79;

    private static final TreeMap<WhatsAppVersion, Map<UiAction, Selector>> TABLE =
            new TreeMap<WhatsAppVersion, Map<UiAction, Selector>>();

    static {
        Map<UiAction, Selector> v223 = new EnumMap<UiAction, Selector>(UiAction.class);
        put(v223, new Selector(UiAction.ANSWER, new String[] {"Accept", "Answer", "Swipe up to accept"},
                new String[] {"com.whatsapp:id/accept_incoming_call_view", "com.whatsapp:id/accept_call_button"},
                KEYCODE_HEADSETHOOK));
        put(v223, new Selector(UiAction.DECLINE, new String[] {"Decline", "Reject"},
                new String[] {"com.whatsapp:id/decline_incoming_call_view", "com.whatsapp:id/decline_call_button"},
                Selector.NO_KEY));
        put(v223, new Selector(UiAction.END_CALL, new String[] {"End call", "Leave call", "Cancel call"},
                new String[] {"com.whatsapp:id/end_call_btn", "com.whatsapp:id/footer_end_call_btn"},
                KEYCODE_HEADSETHOOK));
        put(v223, new Selector(UiAction.CONFIRM_CALL, new String[] {"Call", "Voice call"},
                new String[] {"android:id/button1", "com.whatsapp:id/call_button"}, Selector.NO_KEY));
        TABLE.put(WhatsAppVersion.parse("2.23"), v223);

        // 2.24.x moved the in-call controls into a bottom sheet whose end button has its own id.
        Map<UiAction, Selector> v224 = new EnumMap<UiAction, Selector>(v223);
        put(v224, new Selector(UiAction.END_CALL, new String[] {"End call", "Leave call", "Cancel call"},
                new String[] {"com.whatsapp:id/end_call_button", "com.whatsapp:id/end_call_btn",
                        "com.whatsapp:id/footer_end_call_btn"},
                KEYCODE_HEADSETHOOK));
        TABLE.put(WhatsAppVersion.parse("2.24"), v224);
    }

    private SelectorTable() {
    }

    private static void put(Map<UiAction, Selector> entry, Selector s) {
        entry.put(s.action, s);
    }

    /** The table entry a WhatsApp version uses: the newest not newer than it, else the oldest. */
    public static WhatsAppVersion entryFor(String whatsappVersion) {
        WhatsAppVersion v = WhatsAppVersion.parse(whatsappVersion);
        WhatsAppVersion key = TABLE.floorKey(v);
        return key != null ? key : TABLE.firstKey();
    }

    public static Selector selector(String whatsappVersion, UiAction action) {
        return TABLE.get(entryFor(whatsappVersion)).get(action);
    }
}
