package org.sip2wa.agent.android.whatsapp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SelectorTableTest {
    @Test
    public void versionsCompareNumberByNumber() {
        assertTrue(WhatsAppVersion.parse("2.24.10").compareTo(WhatsAppVersion.parse("2.24.9")) > 0);
        assertEquals(WhatsAppVersion.parse("2.24"), WhatsAppVersion.parse("2.24.0.0"));
        assertTrue(WhatsAppVersion.parse("2.25.1.75-beta").compareTo(WhatsAppVersion.parse("2.25.1.75")) == 0);
        assertTrue(WhatsAppVersion.parse("").compareTo(WhatsAppVersion.parse("0.1")) < 0);
    }

    @Test
    public void aPhonePicksTheNewestEntryNotNewerThanItsWhatsApp() {
        assertEquals("2.23", SelectorTable.entryFor("2.23.26.4").toString());
        assertEquals("2.24", SelectorTable.entryFor("2.24.0.1").toString());
        assertEquals("2.24", SelectorTable.entryFor("2.99.1").toString());
        // older than every entry, or unreadable: the oldest entry
        assertEquals("2.23", SelectorTable.entryFor("2.19.1").toString());
        assertEquals("2.23", SelectorTable.entryFor("").toString());
    }

    @Test
    public void everyEntryHasEveryButtonWithADescriptionAndAViewId() {
        for (String version : new String[] {"2.23", "2.24"}) {
            for (UiAction a : UiAction.values()) {
                Selector s = SelectorTable.selector(version, a);
                assertEquals(a, s.action);
                assertFalse(version + " " + a, s.descriptions.isEmpty());
                assertFalse(version + " " + a, s.viewIds.isEmpty());
            }
        }
        assertEquals("com.whatsapp:id/end_call_button", SelectorTable.selector("2.24.3", UiAction.END_CALL).viewIds.get(0));
        assertEquals("com.whatsapp:id/end_call_btn", SelectorTable.selector("2.23.3", UiAction.END_CALL).viewIds.get(0));
    }

    @Test
    public void labelsMatchWholeAndIgnoreCaseButNotPartOfAnotherLabel() {
        Selector end = SelectorTable.selector("2.24", UiAction.END_CALL);
        assertTrue(end.matchesDescription(" end CALL "));
        assertFalse(end.matchesDescription("End call notifications"));
        assertFalse(end.matchesDescription(null));
        assertEquals(SelectorTable.KEYCODE_HEADSETHOOK, end.fallbackKeyCode);
        assertEquals(Selector.NO_KEY, SelectorTable.selector("2.24", UiAction.DECLINE).fallbackKeyCode);
    }
}
