package android.net;

import java.io.Closeable;
import java.io.IOException;

/** Compile-only stub of the public API (see stubs/README.md). */
public class LocalServerSocket implements Closeable {
    public LocalServerSocket(String name) throws IOException { throw new RuntimeException("Stub!"); }

    public LocalSocket accept() throws IOException { throw new RuntimeException("Stub!"); }

    public void close() throws IOException { throw new RuntimeException("Stub!"); }
}
