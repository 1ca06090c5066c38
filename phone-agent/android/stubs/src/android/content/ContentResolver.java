package android.content;

import android.database.Cursor;
import android.net.Uri;

/** Compile-only stub of the public API (see stubs/README.md). */
public abstract class ContentResolver {
    public ContentResolver(Context context) { throw new RuntimeException("Stub!"); }

    public final Uri insert(Uri url, ContentValues values) { throw new RuntimeException("Stub!"); }

    public final Cursor query(Uri uri, String[] projection, String selection, String[] selectionArgs, String sortOrder) { throw new RuntimeException("Stub!"); }

    public final int delete(Uri url, String where, String[] selectionArgs) { throw new RuntimeException("Stub!"); }
}
