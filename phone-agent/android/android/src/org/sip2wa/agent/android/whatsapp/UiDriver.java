package org.sip2wa.agent.android.whatsapp;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Presses WhatsApp's call buttons and reads its call screen, with the selectors of the
 * {@link SelectorTable} entry for the installed WhatsApp version: a node whose content description (or
 * text, for notification action buttons) is the label first, a view id second, a key event last. Pure
 * Java over {@link UiNode}, so the order of preference is tested on the host.
 */
public final class UiDriver {
    /** Bounds a walk over a window's tree, so a huge or cyclic tree cannot stall the call thread. */
    static final int MAX_NODES = 800;

    /** Where the window roots come from (UiAutomation on a phone). */
    public interface Screen {
        /** The root of every window on screen, the active one first; empty when unreadable. */
        List<UiNode> roots();
    }

    /** Injects a key event (`input keyevent` on a phone); false when it failed. */
    public interface Keys {
        boolean press(int keyCode);
    }

    private final Screen screen;
    private final Keys keys;
    private final String whatsappVersion;

    public UiDriver(Screen screen, Keys keys, String whatsappVersion) {
        this.screen = screen;
        this.keys = keys;
        this.whatsappVersion = whatsappVersion;
    }

    /** Presses the button; returns how ("description 'End call'", "view id ...", "key 79") or null. */
    public String press(UiAction action) {
        Selector s = SelectorTable.selector(whatsappVersion, action);
        List<UiNode> roots = screen.roots();
        for (UiNode root : roots) {
            UiNode hit = byLabel(root, s);
            if (hit != null && click(hit)) return "description '" + label(hit) + "'";
        }
        for (String id : s.viewIds) {
            for (UiNode root : roots) {
                List<UiNode> hits = root.findByViewId(id);
                if (!hits.isEmpty() && click(hits.get(0))) return "view id " + id;
            }
        }
        if (s.fallbackKeyCode != Selector.NO_KEY && keys.press(s.fallbackKeyCode)) return "key " + s.fallbackKeyCode;
        return null;
    }

    /** The call screen's status text ("Ringing", "0:07"), or "" when WhatsApp shows none. */
    public String statusText() {
        for (UiNode root : screen.roots()) {
            CharSequence pkg = root.packageName();
            if (pkg == null || !WhatsAppPackage.PACKAGE.contentEquals(pkg)) continue;
            String found = firstStatus(root);
            if (found != null) return found;
        }
        return "";
    }

    /**
     * The caller's name or number on WhatsApp's incoming-call screen: the first text in WhatsApp's window
     * that is neither a status text nor a button label ("" when there is none).
     */
    public String callerText() {
        for (UiNode root : screen.roots()) {
            CharSequence pkg = root.packageName();
            if (pkg == null || !WhatsAppPackage.PACKAGE.contentEquals(pkg)) continue;
            ArrayDeque<UiNode> queue = new ArrayDeque<UiNode>();
            queue.add(root);
            int seen = 0;
            while (!queue.isEmpty() && seen++ < MAX_NODES) {
                UiNode n = queue.poll();
                CharSequence t = n.text();
                if (t != null && t.toString().trim().length() > 0 && !CallScreen.isStatus(t.toString()) && !isButtonLabel(t)) {
                    return t.toString().trim();
                }
                addChildren(queue, n);
            }
        }
        return "";
    }

    private boolean isButtonLabel(CharSequence text) {
        for (UiAction a : UiAction.values()) {
            if (SelectorTable.selector(whatsappVersion, a).matchesDescription(text)) return true;
        }
        return CallScreen.isIncomingLabel(text.toString());
    }

    private static UiNode byLabel(UiNode root, Selector s) {
        ArrayDeque<UiNode> queue = new ArrayDeque<UiNode>();
        queue.add(root);
        int seen = 0;
        while (!queue.isEmpty() && seen++ < MAX_NODES) {
            UiNode n = queue.poll();
            if (s.matchesDescription(n.contentDescription()) || s.matchesDescription(n.text())) return n;
            addChildren(queue, n);
        }
        return null;
    }

    /** The first status text in the tree (breadth first), or null. */
    private static String firstStatus(UiNode root) {
        ArrayDeque<UiNode> queue = new ArrayDeque<UiNode>();
        queue.add(root);
        int seen = 0;
        while (!queue.isEmpty() && seen++ < MAX_NODES) {
            UiNode n = queue.poll();
            CharSequence t = n.text();
            if (t != null && CallScreen.isStatus(t.toString())) return t.toString().trim();
            addChildren(queue, n);
        }
        return null;
    }

    private static void addChildren(ArrayDeque<UiNode> queue, UiNode n) {
        for (int i = 0; i < n.childCount(); i++) {
            UiNode c = n.child(i);
            if (c != null) queue.add(c);
        }
    }

    /** Clicks the node, or the nearest clickable ancestor (labels often sit on a non-clickable child). */
    private static boolean click(UiNode node) {
        for (UiNode n = node; n != null; n = n.parent()) {
            if (n.clickable()) return n.click();
        }
        return node.click();
    }

    private static String label(UiNode n) {
        CharSequence d = n.contentDescription();
        if (d == null) d = n.text();
        return d == null ? "" : d.toString();
    }
}
