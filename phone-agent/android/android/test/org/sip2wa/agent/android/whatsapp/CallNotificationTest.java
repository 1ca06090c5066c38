package org.sip2wa.agent.android.whatsapp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

public class CallNotificationTest {
    private static final String OTHER = "  NotificationRecord(0x0a1: pkg=com.android.systemui user=UserHandle{0} id=1 tag=null importance=2 key=0|com.android.systemui|1|null|10010: Notification(channel=BAT category=sys))\n"
            + "      extras={\n        android.title=String (Battery low)\n      }\n";

    private static String whatsapp(String category, String title, String text) {
        return "  NotificationRecord(0x0b2: pkg=com.whatsapp user=UserHandle{0} id=2 tag=null importance=4 key=0|com.whatsapp|2|null|10123: Notification(channel=voip_notification_11 " + category + "))\n"
                + "      extras={\n        android.title=String (" + title + ")\n        android.text=String (" + text + ")\n      }\n";
    }

    @Test
    public void theCallerIsTheTitleOfWhatsAppsCallNotification() {
        String dump = OTHER + whatsapp("category=msg", "Bob", "hi") + whatsapp("category=call", "Alice Example", "Incoming voice call");
        assertEquals("Alice Example", CallNotification.callerTitle(dump));
    }

    @Test
    public void aCallNotificationWithoutCategoryIsKnownByItsText() {
        assertEquals("+1 555-0100", CallNotification.callerTitle(whatsapp("flags=0x62", "+1 555-0100", "Incoming voice call")));
    }

    @Test
    public void noWhatsAppCallNoCaller() {
        assertNull(CallNotification.callerTitle(OTHER + whatsapp("category=msg", "Bob", "see you")));
        assertNull(CallNotification.callerTitle(""));
    }
}
