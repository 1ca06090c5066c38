package org.sip2wa.agent.android.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What `--probe` prints, as one JSON line, in a fixed key order so two phones' reports diff line by line
 * when pretty-printed: the phone, the agent's uid, each permission that matters and whether this uid holds
 * it, WhatsApp, UiAutomation, the contacts provider, the audio route with its reason, every policy
 * registration and every reflective lookup with its result.
 */
public final class ProbeReport {
    /** Bumped when a key changes meaning, so a script reading old reports can tell. */
    public static final int FORMAT = 1;

    private final Map<String, Object> root = new LinkedHashMap<String, Object>();
    private final Map<String, Object> permissions = new LinkedHashMap<String, Object>();
    private final Map<String, Object> whatsapp = new LinkedHashMap<String, Object>();
    private final Map<String, Object> audio = new LinkedHashMap<String, Object>();

    public ProbeReport(String androidVersion, int sdk, String manufacturer, String model, int uid) {
        root.put("probe", Integer.valueOf(FORMAT));
        root.put("android", androidVersion);
        root.put("sdk", Integer.valueOf(sdk));
        root.put("manufacturer", manufacturer);
        root.put("model", model);
        root.put("uid", Integer.valueOf(uid));
        root.put("root", Boolean.valueOf(uid == 0));
        root.put("permissions", permissions);
        root.put("whatsapp", whatsapp);
        root.put("audio", audio);
    }

    public ProbeReport permission(String name, boolean held) {
        permissions.put(name, Boolean.valueOf(held));
        return this;
    }

    public ProbeReport whatsapp(String version, boolean readContacts, String selectorEntry) {
        whatsapp.put("installed", Boolean.valueOf(version.length() > 0));
        whatsapp.put("version", version);
        whatsapp.put("readContacts", Boolean.valueOf(readContacts));
        whatsapp.put("selectorTable", selectorEntry);
        return this;
    }

    /** "ok", or why not, for a part that is not a single lookup (UiAutomation, contacts provider). */
    public ProbeReport check(String name, String result) {
        root.put(name, result);
        return this;
    }

    public ProbeReport audio(String route, String reason, String downlinkVariant, Map<String, String> registrations) {
        audio.put("route", route);
        audio.put("reason", reason);
        audio.put("downlink", downlinkVariant);
        audio.put("policies", registrations);
        return this;
    }

    public ProbeReport lookups(Map<String, String> results) {
        root.put("lookups", results);
        return this;
    }

    public String toJsonLine() {
        return Json.write(root);
    }
}
