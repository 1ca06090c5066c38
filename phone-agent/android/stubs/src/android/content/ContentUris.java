package android.content;

import android.net.Uri;

/** Compile-only stub of the public API (see stubs/README.md). */
public class ContentUris {
    public ContentUris() { throw new RuntimeException("Stub!"); }

    public static long parseId(Uri contentUri) { throw new RuntimeException("Stub!"); }
}
