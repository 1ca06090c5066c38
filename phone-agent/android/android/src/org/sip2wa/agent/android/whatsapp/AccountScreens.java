package org.sip2wa.agent.android.whatsapp;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sip2wa.agent.protocol.AccountState;

/**
 * What WhatsApp's own screens say about the account (PROTOCOL.md, "Account state"): the texts and view
 * ids of its ban, verification and update screens in one table, matched in WhatsApp's windows, and the
 * foreground activity names that give the same away. Pure Java over {@link UiNode}, tested on the host.
 *
 * <p>UNVERIFIED: these strings are WhatsApp's English UI (2.23-2.25) as users quote it in public threads;
 * none has been seen on a phone from here (README, "Preparing a real phone"). A phone in another language
 * only matches by view id or activity name.
 */
public final class AccountScreens {
    /** One row of the table: the state a screen means and how the screen is recognised. */
    static final class Row {
        final AccountState state;
        /** Lower-case fragments of a text or content description on the screen. */
        final String[] phrases;
        final String[] viewIds;
        /** Fragments of the foreground activity's class name. */
        final String[] activities;

        Row(AccountState state, String[] phrases, String[] viewIds, String[] activities) {
            this.state = state;
            this.phrases = phrases;
            this.viewIds = viewIds;
            this.activities = activities;
        }
    }

    /** Checked in this order: a ban screen also shows a "verify" button, so BANNED comes first. */
    static final Row[] TABLE = {
        new Row(AccountState.BANNED,
                new String[] {"this account is not allowed to use whatsapp", "this account can no longer use whatsapp",
                    "your phone number is banned from using whatsapp", "account is banned"},
                new String[] {"com.whatsapp:id/banned_title", "com.whatsapp:id/ban_info"},
                new String[] {".registration.banned", "BannedAccountActivity", "AccountBanned"}),
        new Row(AccountState.UPDATE_REQUIRED,
                new String[] {"this version of whatsapp has expired", "update whatsapp to continue",
                    "you need to update whatsapp", "this version of whatsapp became out of date"},
                new String[] {"com.whatsapp:id/upgrade_button", "com.whatsapp:id/expired_title"},
                new String[] {"SoftwareExpired", "ExpiredActivity", "UpgradeActivity"}),
        new Row(AccountState.LOGGED_OUT,
                new String[] {"enter your phone number", "verify your phone number", "verifying your number",
                    "enter the 6-digit code", "you've been logged out", "your phone number is no longer registered",
                    "agree and continue"},
                new String[] {"com.whatsapp:id/registration_phone", "com.whatsapp:id/verify_sms_code_input",
                    "com.whatsapp:id/eula_accept"},
                new String[] {".registration.RegisterPhone", ".registration.VerifyPhoneNumber", ".registration.EULA",
                    ".registration.VerifySms"}),
    };

    /** Bounds a walk over one window's tree (as UiDriver does). */
    static final int MAX_NODES = UiDriver.MAX_NODES;

    private static final Pattern RESUMED =
            Pattern.compile("(?:mResumedActivity|topResumedActivity)[:=] *ActivityRecord\\{\\S+ \\S+ (\\S+/\\S+)");

    private AccountScreens() {
    }

    /**
     * The state WhatsApp's windows show, or null when no WhatsApp window is on screen (then the screen
     * says nothing either way). A WhatsApp window without any of the table's screens means REGISTERED.
     */
    public static AccountState fromWindows(List<UiNode> roots) {
        boolean sawWhatsApp = false;
        for (UiNode root : roots) {
            CharSequence pkg = root.packageName();
            if (pkg == null || !WhatsAppPackage.PACKAGE.contentEquals(pkg)) continue;
            sawWhatsApp = true;
            for (Row row : TABLE) {
                if (matches(root, row)) return row.state;
            }
        }
        return sawWhatsApp ? AccountState.REGISTERED : null;
    }

    /** The state a foreground WhatsApp activity name gives away ("com.whatsapp/.registration.EULA"), or null. */
    public static AccountState fromActivity(String component) {
        if (component == null || !component.startsWith(WhatsAppPackage.PACKAGE + "/")) return null;
        for (Row row : TABLE) {
            for (String a : row.activities) {
                if (component.contains(a)) return row.state;
            }
        }
        return null;
    }

    /**
     * The resumed activity in `dumpsys activity activities` output ("com.whatsapp/.registration.EULA"), or
     * null: the lines read `mResumedActivity: ActivityRecord{... u0 COMPONENT t12}` up to Android 11 and
     * `topResumedActivity=ActivityRecord{... u0 COMPONENT t12}` from 12 on.
     */
    public static String resumedActivity(String dumpsys) {
        if (dumpsys == null) return null;
        Matcher m = RESUMED.matcher(dumpsys);
        return m.find() ? m.group(1) : null;
    }

    private static boolean matches(UiNode root, Row row) {
        for (String id : row.viewIds) {
            if (!root.findByViewId(id).isEmpty()) return true;
        }
        ArrayDeque<UiNode> queue = new ArrayDeque<UiNode>();
        queue.add(root);
        int seen = 0;
        while (!queue.isEmpty() && seen++ < MAX_NODES) {
            UiNode n = queue.poll();
            if (hasPhrase(n.text(), row.phrases) || hasPhrase(n.contentDescription(), row.phrases)) return true;
            for (int i = 0; i < n.childCount(); i++) {
                UiNode c = n.child(i);
                if (c != null) queue.add(c);
            }
        }
        return false;
    }

    private static boolean hasPhrase(CharSequence text, String[] phrases) {
        if (text == null) return false;
        String t = text.toString().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        for (String p : phrases) {
            if (t.contains(p)) return true;
        }
        return false;
    }
}
