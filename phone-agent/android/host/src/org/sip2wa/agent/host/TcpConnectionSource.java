package org.sip2wa.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.sip2wa.agent.server.Connection;
import org.sip2wa.agent.server.ConnectionSource;

/** Station connections on a loopback TCP port: the host's stand-in for the phone's abstract socket. */
public final class TcpConnectionSource implements ConnectionSource {
    private final ServerSocket server;
    private int accepted;

    /** Listens on 127.0.0.1 on a free port. */
    public TcpConnectionSource() throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public Connection accept() throws IOException {
        final Socket s = server.accept();
        s.setTcpNoDelay(true);
        final int n = ++accepted;
        return new Connection() {
            @Override
            public InputStream input() throws IOException {
                return s.getInputStream();
            }

            @Override
            public OutputStream output() throws IOException {
                return s.getOutputStream();
            }

            @Override
            public void close() {
                try {
                    s.close();
                } catch (IOException e) {
                    // Closing a socket that is already gone: nothing to release.
                }
            }

            @Override
            public String describe() {
                return "tcp #" + n;
            }
        };
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
