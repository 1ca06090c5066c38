package org.sip2wa.agent.android.whatsapp;

import android.accessibilityservice.AccessibilityServiceInfo;
import android.app.UiAutomation;
import android.content.Context;
import android.os.HandlerThread;
import android.os.Looper;
import android.view.accessibility.AccessibilityNodeInfo;
import android.view.accessibility.AccessibilityWindowInfo;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;

/**
 * A UiAutomation obtained from shell the way AOSP's `uiautomator` command does: a HandlerThread for its
 * callbacks, `new UiAutomation(looper, new UiAutomationConnection())` (hidden), then the hidden connect().
 * Only one UiAutomation exists system-wide, so another tool (uiautomator, appium) taking it disconnects
 * this one: {@link #roots()} reconnects once when it finds itself disconnected. It asks for the interactive
 * windows too, so a heads-up call notification in SystemUI's window can be read and pressed.
 */
final class UiAutomationSession implements UiDriver.Screen {
    private final Lookups lookups;
    private final Context context;
    private HandlerThread thread;
    private UiAutomation automation;

    UiAutomationSession(Lookups lookups, Context context) {
        this.lookups = lookups;
        this.context = context;
    }

    synchronized void connect() throws LookupException {
        if (automation != null) return;
        if (thread == null) {
            thread = new HandlerThread("sip2wa-ui");
            thread.start();
        }
        Class<?> connectionClass = lookups.type("android.app.UiAutomationConnection");
        Class<?> connectionInterface = lookups.type("android.app.IUiAutomationConnection");
        Object connection = lookups.construct(lookups.constructor(connectionClass));
        UiAutomation ui;
        try {
            Constructor<?> c = lookups.constructor(UiAutomation.class, Looper.class, connectionInterface);
            ui = (UiAutomation) lookups.construct(c, thread.getLooper(), connection);
        } catch (LookupException e) {
            // Android 14 added a Context-based constructor; the Looper one may be gone on later builds
            Constructor<?> c = lookups.constructor(UiAutomation.class, Context.class, connectionInterface);
            ui = (UiAutomation) lookups.construct(c, context, connection);
        }
        try {
            lookups.invoke(lookups.method(UiAutomation.class, "connect"), ui);
        } catch (LookupException e) {
            lookups.invoke(lookups.method(UiAutomation.class, "connect", int.class), ui, Integer.valueOf(0));
        }
        AccessibilityServiceInfo info = ui.getServiceInfo();
        if (info != null) {
            info.flags |= AccessibilityServiceInfo.FLAG_RETRIEVE_INTERACTIVE_WINDOWS;
            ui.setServiceInfo(info);
        }
        automation = ui;
        lookups.record("UiAutomation connect", Lookups.OK);
    }

    /** The root node of every window on screen, the active one first; empty when disconnected. */
    @Override
    public synchronized List<UiNode> roots() {
        List<UiNode> roots = new ArrayList<UiNode>();
        for (int attempt = 0; attempt < 2 && roots.isEmpty(); attempt++) {
            if (automation == null) {
                try {
                    connect();
                } catch (LookupException e) {
                    return roots;
                }
            }
            try {
                AccessibilityNodeInfo active = automation.getRootInActiveWindow();
                if (active != null) roots.add(AccessibilityUiNode.wrap(active));
                List<AccessibilityWindowInfo> windows = automation.getWindows();
                if (windows != null) {
                    for (AccessibilityWindowInfo w : windows) {
                        AccessibilityNodeInfo r = w.getRoot();
                        if (r != null) roots.add(AccessibilityUiNode.wrap(r));
                    }
                }
            } catch (RuntimeException disconnected) {
                // "UiAutomation not connected" after another tool took the connection: reconnect once
                automation = null;
            }
        }
        return roots;
    }

    synchronized void close() {
        if (automation != null) {
            try {
                lookups.invoke(lookups.method(UiAutomation.class, "disconnect"), automation);
            } catch (LookupException e) {
                // the connection dies with the process anyway
            }
            automation = null;
        }
        if (thread != null) {
            thread.quitSafely();
            thread = null;
        }
    }
}
