package android.os;

/** Compile-only stub of the public API (see stubs/README.md). */
public class Process {
    public Process() { throw new RuntimeException("Stub!"); }

    public static final int myUid() { throw new RuntimeException("Stub!"); }

    public static final int myPid() { throw new RuntimeException("Stub!"); }
}
