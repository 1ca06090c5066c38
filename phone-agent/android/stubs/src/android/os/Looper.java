package android.os;

/** Compile-only stub of the public API (see stubs/README.md). */
public final class Looper {
    private Looper() { throw new RuntimeException("Stub!"); }

    public static void prepareMainLooper() { throw new RuntimeException("Stub!"); }

    public static Looper getMainLooper() { throw new RuntimeException("Stub!"); }

    public static void loop() { throw new RuntimeException("Stub!"); }
}
