package android.view.accessibility;

/** Compile-only stub of the public API (see stubs/README.md). */
public final class AccessibilityWindowInfo {
    private AccessibilityWindowInfo() { throw new RuntimeException("Stub!"); }

    public AccessibilityNodeInfo getRoot() { throw new RuntimeException("Stub!"); }
}
