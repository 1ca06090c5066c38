package android.database;

import java.io.Closeable;

/** Compile-only stub of the public API (see stubs/README.md). */
public interface Cursor extends Closeable {
    boolean moveToNext();

    int getColumnIndex(String columnName);

    long getLong(int columnIndex);

    String getString(int columnIndex);

    void close();
}
