package org.sip2wa.agent.server;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where station connections come from: android.net.LocalServerSocket on the abstract socket
 * `sip2wa_agent` on a phone, a loopback ServerSocket on the host. The agent server's accept loop is the
 * only caller of {@link #accept()}.
 */
public interface ConnectionSource extends Closeable {
    /** Blocks until a station connects; throws once the source is closed. */
    Connection accept() throws IOException;

    /** Unblocks a pending accept(); idempotent, never throws. */
    @Override
    void close();
}
