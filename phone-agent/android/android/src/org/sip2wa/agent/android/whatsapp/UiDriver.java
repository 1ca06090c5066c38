package org.sip2wa.agent.android.whatsapp;

import android.view.accessibility.AccessibilityNodeInfo;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;

import org.sip2wa.agent.android.system.ShellCommands;

/**
 * Presses WhatsApp's call buttons and reads its call screen through UiAutomation, with the selectors of
 * the {@link SelectorTable} entry for the installed WhatsApp version: a node whose content description (or
 * text, for notification action buttons) is the label first, a view id second, a key event last.
 */
public final class UiDriver {
    /** Bounds a walk over a window's tree, so a huge or cyclic tree cannot stall the call thread. */
    static final int MAX_NODES = 800;

    private final UiAutomationSession session;
    private final ShellCommands shell;
    private final String whatsappVersion;

    UiDriver(UiAutomationSession session, ShellCommands shell, String whatsappVersion) {
        this.session = session;
        this.shell = shell;
        this.whatsappVersion = whatsappVersion;
    }

    /** Presses the button; returns how ("description 'End call'", "view id ...", "key 79") or null. */
    public String press(UiAction action) {
        Selector s = SelectorTable.selector(whatsappVersion, action);
        List<AccessibilityNodeInfo> roots = session.roots();
        for (AccessibilityNodeInfo root : roots) {
            AccessibilityNodeInfo hit = byLabel(root, s);
            if (hit != null && click(hit)) return "description '" + label(hit) + "'";
        }
        for (String id : s.viewIds) {
            for (AccessibilityNodeInfo root : roots) {
                List<AccessibilityNodeInfo> hits = root.findAccessibilityNodeInfosByViewId(id);
                if (hits != null && !hits.isEmpty() && click(hits.get(0))) return "view id " + id;
            }
        }
        if (s.fallbackKeyCode != Selector.NO_KEY) {
            try {
                if (shell.run("input", "keyevent", String.valueOf(s.fallbackKeyCode)).ok()) return "key " + s.fallbackKeyCode;
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    /** The call screen's status text ("Ringing", "0:07"), or "" when WhatsApp shows none. */
    public String statusText() {
        for (AccessibilityNodeInfo root : session.roots()) {
            CharSequence pkg = root.getPackageName();
            if (pkg == null || !WhatsAppPackage.PACKAGE.contentEquals(pkg)) continue;
            String found = firstStatus(root);
            if (found != null) return found;
        }
        return "";
    }

    private static AccessibilityNodeInfo byLabel(AccessibilityNodeInfo root, Selector s) {
        ArrayDeque<AccessibilityNodeInfo> queue = new ArrayDeque<AccessibilityNodeInfo>();
        queue.add(root);
        int seen = 0;
        while (!queue.isEmpty() && seen++ < MAX_NODES) {
            AccessibilityNodeInfo n = queue.poll();
            if (s.matchesDescription(n.getContentDescription()) || s.matchesDescription(n.getText())) return n;
            addChildren(queue, n);
        }
        return null;
    }

    /** The first status text in the tree (breadth first), or null. */
    private static String firstStatus(AccessibilityNodeInfo root) {
        ArrayDeque<AccessibilityNodeInfo> queue = new ArrayDeque<AccessibilityNodeInfo>();
        queue.add(root);
        int seen = 0;
        while (!queue.isEmpty() && seen++ < MAX_NODES) {
            AccessibilityNodeInfo n = queue.poll();
            CharSequence t = n.getText();
            if (t != null && CallScreen.isStatus(t.toString())) return t.toString().trim();
            addChildren(queue, n);
        }
        return null;
    }

    private static void addChildren(ArrayDeque<AccessibilityNodeInfo> queue, AccessibilityNodeInfo n) {
        for (int i = 0; i < n.getChildCount(); i++) {
            AccessibilityNodeInfo c = n.getChild(i);
            if (c != null) queue.add(c);
        }
    }

    /** Clicks the node, or the nearest clickable ancestor (labels often sit on a non-clickable child). */
    private static boolean click(AccessibilityNodeInfo node) {
        for (AccessibilityNodeInfo n = node; n != null; n = n.getParent()) {
            if (n.isClickable()) return n.performAction(AccessibilityNodeInfo.ACTION_CLICK);
        }
        return node.performAction(AccessibilityNodeInfo.ACTION_CLICK);
    }

    private static String label(AccessibilityNodeInfo n) {
        CharSequence d = n.getContentDescription();
        if (d == null) d = n.getText();
        return d == null ? "" : d.toString();
    }
}
