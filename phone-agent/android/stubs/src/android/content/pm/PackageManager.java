package android.content.pm;

/** Compile-only stub of the public API (see stubs/README.md). */
public abstract class PackageManager {
    public static final int PERMISSION_GRANTED = 0;

    public static class NameNotFoundException extends Exception {
        public NameNotFoundException() { throw new RuntimeException("Stub!"); }
    }

    public abstract PackageInfo getPackageInfo(String packageName, int flags) throws NameNotFoundException;

    public abstract ApplicationInfo getApplicationInfo(String packageName, int flags) throws NameNotFoundException;

    public abstract int checkPermission(String permName, String packageName);
}
