package android.net;

/** Compile-only stub of the public API (see stubs/README.md). */
public class LocalSocketAddress {
    /** The abstract namespace, the default. */
    public LocalSocketAddress(String name) { throw new RuntimeException("Stub!"); }
}
