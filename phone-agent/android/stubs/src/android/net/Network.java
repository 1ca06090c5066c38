package android.net;

/** Compile-only stub of the public API (see stubs/README.md). */
public class Network {
    private Network() { throw new RuntimeException("Stub!"); }
}
