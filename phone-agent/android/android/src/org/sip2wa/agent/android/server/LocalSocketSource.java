package org.sip2wa.agent.android.server;

import android.net.LocalServerSocket;
import android.net.LocalSocket;
import android.net.LocalSocketAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.sip2wa.agent.server.Connection;
import org.sip2wa.agent.server.ConnectionSource;

/**
 * Station connections on a phone: the abstract Unix socket `@sip2wa_agent` that the station reaches through
 * `adb forward tcp:N localabstract:sip2wa_agent`. Binding fails when another agent holds the name, which
 * is how a second start is refused.
 */
public final class LocalSocketSource implements ConnectionSource {
    private final String name;
    private final LocalServerSocket server;
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean closed;

    public LocalSocketSource(String name) throws IOException {
        this.name = name;
        this.server = new LocalServerSocket(name);
    }

    @Override
    public Connection accept() throws IOException {
        if (closed) throw new IOException("the agent's socket is closed");
        LocalSocket s = server.accept();
        if (closed) {
            s.close();
            throw new IOException("the agent's socket is closed");
        }
        return new LocalConnection(s, count.incrementAndGet());
    }

    /**
     * LocalServerSocket.close() does not wake a thread blocked in accept() on every version, so closing
     * also connects to the socket once; accept() then sees `closed` and ends.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        LocalSocket wake = new LocalSocket();
        try {
            wake.connect(new LocalSocketAddress(name));
        } catch (IOException e) {
            // nobody is accepting: nothing to wake
        }
        try {
            wake.close();
        } catch (IOException e) {
            // not connected
        }
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static final class LocalConnection implements Connection {
        private final LocalSocket socket;
        private final int number;

        LocalConnection(LocalSocket socket, int number) {
            this.socket = socket;
            this.number = number;
        }

        @Override
        public InputStream input() throws IOException {
            return socket.getInputStream();
        }

        @Override
        public OutputStream output() throws IOException {
            return socket.getOutputStream();
        }

        @Override
        public void close() {
            try {
                socket.shutdownInput();
            } catch (IOException e) {
                // the peer may have gone already
            }
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                // same
            }
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }

        @Override
        public String describe() {
            return "local socket #" + number;
        }
    }
}
