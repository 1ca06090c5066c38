package org.sip2wa.agent.android.whatsapp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

public class PhoneNumbersTest {
    @Test
    public void numbersAsPeopleWriteThemBecomeInternationalDigits() {
        assertEquals("442079460000", PhoneNumbers.normalise("+44 20 7946-0000"));
        assertEquals("442079460000", PhoneNumbers.normalise("0044 (20) 7946.0000"));
        assertEquals("15550100001", PhoneNumbers.normalise("15550100001"));
        assertEquals("+15550100001", PhoneNumbers.toDialable("15550100001"));
    }

    @Test
    public void whatIsNoInternationalNumberIsRefused() {
        assertNull(PhoneNumbers.normalise("Alice"));
        assertNull(PhoneNumbers.normalise("12345"));
        assertNull(PhoneNumbers.normalise("1234567890123456"));
        assertNull(PhoneNumbers.normalise("020 7946 0000"));
        assertNull(PhoneNumbers.normalise("+1 555 0100 ext 2"));
        assertNull(PhoneNumbers.normalise(null));
    }

    @Test
    public void whatsAppAccountIdsGiveTheirNumberGroupsDoNot() {
        assertEquals("15550100001", PhoneNumbers.fromJid("15550100001@s.whatsapp.net"));
        assertNull(PhoneNumbers.fromJid("120363025246125486@g.us"));
    }
}
