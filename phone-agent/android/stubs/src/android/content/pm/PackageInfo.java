package android.content.pm;

/** Compile-only stub of the public API (see stubs/README.md). */
public class PackageInfo {
    public String versionName;

    public PackageInfo() { throw new RuntimeException("Stub!"); }
}
