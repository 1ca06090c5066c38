package android.net;

/** Compile-only stub of the public API (see stubs/README.md). */
public abstract class Uri implements Comparable<Uri> {
    private Uri() { throw new RuntimeException("Stub!"); }

    public static Uri parse(String uriString) { throw new RuntimeException("Stub!"); }
}
