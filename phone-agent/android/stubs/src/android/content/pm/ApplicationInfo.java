package android.content.pm;

/** Compile-only stub of the public API (see stubs/README.md). */
public class ApplicationInfo {
    public int uid;
    public String packageName;

    public ApplicationInfo() { throw new RuntimeException("Stub!"); }
}
