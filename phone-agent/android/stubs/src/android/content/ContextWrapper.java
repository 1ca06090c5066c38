package android.content;

import android.content.pm.PackageManager;

/** Compile-only stub of the public API (see stubs/README.md). */
public class ContextWrapper extends Context {
    public ContextWrapper(Context base) { throw new RuntimeException("Stub!"); }

    @Override
    public Object getSystemService(String name) { throw new RuntimeException("Stub!"); }

    @Override
    public ContentResolver getContentResolver() { throw new RuntimeException("Stub!"); }

    @Override
    public PackageManager getPackageManager() { throw new RuntimeException("Stub!"); }

    @Override
    public String getPackageName() { throw new RuntimeException("Stub!"); }

    @Override
    public String getOpPackageName() { throw new RuntimeException("Stub!"); }

    @Override
    public Context getApplicationContext() { throw new RuntimeException("Stub!"); }

    @Override
    public int checkPermission(String permission, int pid, int uid) { throw new RuntimeException("Stub!"); }
}
