package android.view.accessibility;

import java.util.List;

/** Compile-only stub of the public API (see stubs/README.md). */
public class AccessibilityNodeInfo {
    public static final int ACTION_CLICK = 16;

    AccessibilityNodeInfo() { throw new RuntimeException("Stub!"); }

    public int getChildCount() { throw new RuntimeException("Stub!"); }

    public AccessibilityNodeInfo getChild(int index) { throw new RuntimeException("Stub!"); }

    public AccessibilityNodeInfo getParent() { throw new RuntimeException("Stub!"); }

    public CharSequence getContentDescription() { throw new RuntimeException("Stub!"); }

    public CharSequence getText() { throw new RuntimeException("Stub!"); }

    public CharSequence getPackageName() { throw new RuntimeException("Stub!"); }

    public boolean isClickable() { throw new RuntimeException("Stub!"); }

    public boolean performAction(int action) { throw new RuntimeException("Stub!"); }

    public List<AccessibilityNodeInfo> findAccessibilityNodeInfosByViewId(String viewId) { throw new RuntimeException("Stub!"); }
}
