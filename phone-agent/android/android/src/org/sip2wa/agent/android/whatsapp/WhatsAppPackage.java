package org.sip2wa.agent.android.whatsapp;

import android.content.Context;
import android.content.pm.PackageManager;

import java.io.IOException;

import org.sip2wa.agent.android.system.ShellCommands;

/**
 * WhatsApp as an installed package: its version (which picks the selector table), its uid (whose audio
 * players and recorders are the call's), and its READ_CONTACTS grant, without which its contact sync never
 * adds the voice-call rows dialing relies on. Shell may grant runtime permissions with `pm grant`.
 */
public final class WhatsAppPackage {
    public static final String PACKAGE = "com.whatsapp";
    static final String READ_CONTACTS = "android.permission.READ_CONTACTS";

    private final Context context;
    private final ShellCommands shell;

    public WhatsAppPackage(Context context, ShellCommands shell) {
        this.context = context;
        this.shell = shell;
    }

    /** WhatsApp's versionName, or "" when it is not installed. */
    public String version() {
        try {
            String v = context.getPackageManager().getPackageInfo(PACKAGE, 0).versionName;
            return v == null ? "" : v;
        } catch (PackageManager.NameNotFoundException e) {
            return "";
        }
    }

    public boolean installed() {
        return version().length() > 0;
    }

    /** WhatsApp's uid, or -1 when it is not installed. */
    public int uid() {
        try {
            return context.getPackageManager().getApplicationInfo(PACKAGE, 0).uid;
        } catch (PackageManager.NameNotFoundException e) {
            return -1;
        }
    }

    public boolean hasReadContacts() {
        return context.getPackageManager().checkPermission(READ_CONTACTS, PACKAGE) == PackageManager.PERMISSION_GRANTED;
    }

    /** Grants READ_CONTACTS if WhatsApp lacks it; returns why not when the grant fails, else null. */
    public String ensureReadContacts() {
        if (hasReadContacts()) return null;
        try {
            ShellCommands.Result r = shell.run("pm", "grant", PACKAGE, READ_CONTACTS);
            if (!r.ok() || !hasReadContacts()) return "pm grant " + PACKAGE + " " + READ_CONTACTS + " failed: " + r.output.trim();
            return null;
        } catch (IOException e) {
            return "pm grant failed: " + e.getMessage();
        }
    }
}
