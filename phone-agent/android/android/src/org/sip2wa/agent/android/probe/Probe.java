package org.sip2wa.agent.android.probe;

import android.content.Context;
import android.os.Build;
import android.os.Process;

import java.util.LinkedHashMap;
import java.util.Map;

import org.sip2wa.agent.android.AndroidPlatform;
import org.sip2wa.agent.android.audio.AudioRoutes;
import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;
import org.sip2wa.agent.android.system.ShellCommands;
import org.sip2wa.agent.android.whatsapp.AndroidWhatsApp;
import org.sip2wa.agent.android.whatsapp.ContactsDirectory;
import org.sip2wa.agent.android.whatsapp.SelectorTable;
import org.sip2wa.agent.android.whatsapp.WhatsAppPackage;
import org.sip2wa.agent.platform.AgentLog;

/**
 * `--probe`: tries everything the agent needs on this phone once, reports it on one JSON line and releases
 * it again (the policies are unregistered, UiAutomation disconnected), so a person with a phone can check
 * in minutes what works there. It places no call, adds no contact and grants nothing.
 */
public final class Probe {
    /** The permissions the agent relies on (AGENT.md, "What the shell user may do"). */
    static final String[] PERMISSIONS = {
        "android.permission.READ_CONTACTS", "android.permission.WRITE_CONTACTS",
        "android.permission.GRANT_RUNTIME_PERMISSIONS", "android.permission.INJECT_EVENTS",
        "android.permission.DUMP", "android.permission.READ_PHONE_STATE", "android.permission.RECORD_AUDIO",
        "android.permission.CAPTURE_AUDIO_OUTPUT", "android.permission.MODIFY_AUDIO_ROUTING",
        "android.permission.CAPTURE_VOICE_COMMUNICATION_OUTPUT",
    };

    private Probe() {
    }

    public static String run(Lookups lookups, AgentLog log) {
        int uid = Process.myUid();
        ProbeReport report = new ProbeReport(Build.VERSION.RELEASE, Build.VERSION.SDK_INT, Build.MANUFACTURER, Build.MODEL, uid);
        Context context;
        try {
            context = AndroidPlatform.shellContext(lookups);
        } catch (LookupException e) {
            return report.check("context", e.getMessage()).lookups(lookups.results()).toJsonLine();
        }
        report.check("context", Lookups.OK);
        // each step on its own: one that throws is reported, and the line is still printed
        try {
            for (String p : PERMISSIONS) report.permission(p, context.checkPermission(p, Process.myPid(), uid) == 0);
        } catch (RuntimeException e) {
            report.check("permissionsError", e.toString());
        }
        try {
            WhatsAppPackage wa = new WhatsAppPackage(context, new ShellCommands(5000));
            String version = wa.version();
            report.whatsapp(version, version.length() > 0 && wa.hasReadContacts(), SelectorTable.entryFor(version).toString());
        } catch (RuntimeException e) {
            report.check("whatsappError", e.toString());
        }
        report.check("contactsProvider", contacts(context));
        try {
            String ui = new AndroidWhatsApp(context, lookups, log).probeUi();
            report.check("uiAutomation", ui == null ? Lookups.OK : ui);
        } catch (RuntimeException e) {
            report.check("uiAutomation", "failed: " + e);
        }
        try {
            AudioRoutes routes = AudioRoutes.open(lookups, context, log, Build.VERSION.SDK_INT, uid);
            routes.close();
            report.audio(routes.route.wireName(), routes.reason, routes.downlinkVariant, registrations(lookups.results()));
        } catch (RuntimeException e) {
            report.audio("none", "failed: " + e, "", registrations(lookups.results()));
        }
        return report.lookups(lookups.results()).toJsonLine();
    }

    private static Map<String, String> registrations(Map<String, String> all) {
        Map<String, String> out = new LinkedHashMap<String, String>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (e.getKey().startsWith("register ")) out.put(e.getKey().substring("register ".length()), e.getValue());
        }
        return out;
    }

    /** A query that matches nothing proves shell reaches the contacts provider. */
    private static String contacts(Context context) {
        try {
            new ContactsDirectory(context.getContentResolver()).voipCallRow("0");
            return Lookups.OK;
        } catch (RuntimeException e) {
            return "failed: " + e;
        }
    }
}
