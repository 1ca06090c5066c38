package android.accessibilityservice;

/** Compile-only stub of the public API (see stubs/README.md). */
public class AccessibilityServiceInfo {
    public static final int FLAG_RETRIEVE_INTERACTIVE_WINDOWS = 64;

    public int flags;

    public AccessibilityServiceInfo() { throw new RuntimeException("Stub!"); }
}
