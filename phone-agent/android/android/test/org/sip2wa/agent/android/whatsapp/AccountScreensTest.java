package org.sip2wa.agent.android.whatsapp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.Test;
import org.sip2wa.agent.android.whatsapp.UiDriverTest.Node;
import org.sip2wa.agent.protocol.AccountState;

/** Which account state WhatsApp's screens, built as users quote them, give away (AccountScreens' table). */
public class AccountScreensTest {
    private static List<UiNode> screen(Node... roots) {
        return Arrays.<UiNode>asList(roots);
    }

    private static Node text(String t) {
        return new Node(null, t, null, false);
    }

    @Test
    public void theBanScreenIsBannedEvenThoughItOffersToVerify() {
        Node root = new Node(null, null, null, false, text("This account is not allowed to use WhatsApp"),
                text("Verify your phone number"), new Node(null, "Support", null, true));
        assertEquals(AccountState.BANNED, AccountScreens.fromWindows(screen(root)));
    }

    @Test
    public void verificationAndUpdateScreensAreRecognisedByTextOrViewId() {
        assertEquals(AccountState.LOGGED_OUT,
                AccountScreens.fromWindows(screen(new Node(null, null, null, false, text("Enter the 6-digit code")))));
        assertEquals(AccountState.LOGGED_OUT, AccountScreens.fromWindows(
                screen(new Node(null, null, null, false, new Node(null, null, "com.whatsapp:id/registration_phone", true)))));
        assertEquals(AccountState.UPDATE_REQUIRED, AccountScreens.fromWindows(
                screen(new Node(null, null, null, false, text("This version of WhatsApp has expired.")))));
    }

    @Test
    public void anyOtherWhatsAppWindowIsRegisteredAndNoWhatsAppWindowSaysNothing() {
        assertEquals(AccountState.REGISTERED, AccountScreens.fromWindows(screen(new Node(null, null, null, false, text("Chats")))));
        Node launcher = new Node(null, null, null, false, text("Enter your phone number"));
        launcher.pkg = "com.android.launcher3";
        assertNull(AccountScreens.fromWindows(screen(launcher)));
        assertNull(AccountScreens.fromWindows(Collections.<UiNode>emptyList()));
    }

    @Test
    public void theForegroundActivityNamesTheScreenWhenWindowsCannotBeRead() {
        String dumpsys = "  ResumedActivity: ActivityRecord{b1f2 u0 com.whatsapp/.Main t41}\n"
                + "  topResumedActivity=ActivityRecord{9e3a1 u0 com.whatsapp/.registration.EULA t42}\n";
        String component = AccountScreens.resumedActivity(dumpsys);
        assertEquals("com.whatsapp/.registration.EULA", component);
        assertEquals(AccountState.LOGGED_OUT, AccountScreens.fromActivity(component));
        assertNull(AccountScreens.fromActivity("com.whatsapp/.HomeActivity"));
        assertNull(AccountScreens.fromActivity("com.android.settings/.registration.EULA"));
        assertNull(AccountScreens.resumedActivity("no activities"));
    }
}
