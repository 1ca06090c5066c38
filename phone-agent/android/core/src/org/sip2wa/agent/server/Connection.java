package org.sip2wa.agent.server;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** One accepted station connection (a LocalSocket on a phone, a TCP socket on the host). */
public interface Connection extends Closeable {
    InputStream input() throws IOException;

    OutputStream output() throws IOException;

    /** Closes both directions; idempotent, never throws. */
    @Override
    void close();

    /** For logs, e.g. "local socket #3". */
    String describe();
}
