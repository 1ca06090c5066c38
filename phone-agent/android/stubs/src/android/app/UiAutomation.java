package android.app;

import android.accessibilityservice.AccessibilityServiceInfo;
import android.view.accessibility.AccessibilityNodeInfo;
import android.view.accessibility.AccessibilityWindowInfo;

import java.util.List;

/** Compile-only stub of the public API; its constructor and connect() are hidden (see stubs/README.md). */
public final class UiAutomation {
    private UiAutomation() { throw new RuntimeException("Stub!"); }

    public AccessibilityNodeInfo getRootInActiveWindow() { throw new RuntimeException("Stub!"); }

    public List<AccessibilityWindowInfo> getWindows() { throw new RuntimeException("Stub!"); }

    public final AccessibilityServiceInfo getServiceInfo() { throw new RuntimeException("Stub!"); }

    public final void setServiceInfo(AccessibilityServiceInfo info) { throw new RuntimeException("Stub!"); }
}
