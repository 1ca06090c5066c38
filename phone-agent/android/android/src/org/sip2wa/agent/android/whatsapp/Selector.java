package org.sip2wa.agent.android.whatsapp;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * How to find one button: content descriptions first (they are localised labels WhatsApp keeps stable for
 * accessibility), view ids second (they change with WhatsApp's releases), then a key event when neither
 * finds a node. Matching is done by {@link UiDriver}; this is plain data so the table is tested on the host.
 */
public final class Selector {
    /** No key event does this action. */
    public static final int NO_KEY = -1;

    public final UiAction action;
    public final List<String> descriptions;
    public final List<String> viewIds;
    public final int fallbackKeyCode;

    public Selector(UiAction action, String[] descriptions, String[] viewIds, int fallbackKeyCode) {
        this.action = action;
        this.descriptions = Collections.unmodifiableList(Arrays.asList(descriptions));
        this.viewIds = Collections.unmodifiableList(Arrays.asList(viewIds));
        this.fallbackKeyCode = fallbackKeyCode;
    }

    /** Whether a node's content description names this button (case-insensitive, whole label). */
    public boolean matchesDescription(CharSequence description) {
        if (description == null) return false;
        String d = description.toString().trim();
        for (String want : descriptions) {
            if (want.equalsIgnoreCase(d)) return true;
        }
        return false;
    }
}
