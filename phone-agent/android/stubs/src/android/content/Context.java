package android.content;

import android.content.pm.PackageManager;

/** Compile-only stub of the public API (see stubs/README.md). */
public abstract class Context {
    public static final String AUDIO_SERVICE = "audio";
    public static final String CONNECTIVITY_SERVICE = "connectivity";
    public static final String TELEPHONY_SERVICE = "phone";

    public abstract Object getSystemService(String name);

    public abstract ContentResolver getContentResolver();

    public abstract PackageManager getPackageManager();

    public abstract String getPackageName();

    public abstract String getOpPackageName();

    /** API 31. */
    public AttributionSource getAttributionSource() { throw new RuntimeException("Stub!"); }

    public abstract Context getApplicationContext();

    public abstract int checkPermission(String permission, int pid, int uid);
}
