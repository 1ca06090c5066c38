package android.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Compile-only stub of the public API (see stubs/README.md). */
public class LocalSocket implements Closeable {
    public LocalSocket() { throw new RuntimeException("Stub!"); }

    public void connect(LocalSocketAddress endpoint) throws IOException { throw new RuntimeException("Stub!"); }

    public InputStream getInputStream() throws IOException { throw new RuntimeException("Stub!"); }

    public OutputStream getOutputStream() throws IOException { throw new RuntimeException("Stub!"); }

    public void shutdownInput() throws IOException { throw new RuntimeException("Stub!"); }

    public void shutdownOutput() throws IOException { throw new RuntimeException("Stub!"); }

    public void close() throws IOException { throw new RuntimeException("Stub!"); }
}
