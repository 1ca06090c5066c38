package android.os;

/** Compile-only stub of the public API (see stubs/README.md). */
public class Binder implements IBinder {
    public Binder() { throw new RuntimeException("Stub!"); }
}
