package org.sip2wa.agent.server;

import java.io.IOException;
import org.sip2wa.agent.link.StationConnection;
import org.sip2wa.agent.link.StationLink;
import org.sip2wa.agent.platform.AgentLog;

/**
 * The accept loop: every station connection from the source gets its own StationConnection, which
 * handshakes and then joins the link as its control or audio connection.
 */
public final class AgentServer {
    private static final long ACCEPT_JOIN_MS = 1000;

    private final ConnectionSource source;
    private final StationLink link;
    private final String software;
    private final AgentLog log;
    private final Thread thread;
    private volatile boolean stopping;

    public AgentServer(ConnectionSource source, StationLink link, String software, AgentLog log) {
        this.source = source;
        this.link = link;
        this.software = software;
        this.log = log;
        this.thread = new Thread(new Runnable() {
            @Override
            public void run() {
                acceptLoop();
            }
        }, "sip2wa-accept");
        // A blocked accept() must not keep the process alive once the agent stopped.
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Closes the source and waits for the accept loop to end. */
    public void stop() throws InterruptedException {
        stopping = true;
        source.close();
        // Bounded: on some Android builds closing a LocalServerSocket does not wake a blocked accept().
        if (thread.isAlive() && thread != Thread.currentThread()) thread.join(ACCEPT_JOIN_MS);
    }

    private void acceptLoop() {
        while (!stopping) {
            Connection c;
            try {
                c = source.accept();
            } catch (IOException e) {
                if (!stopping) log.error("accepting station connections failed, the agent stops listening", e);
                return;
            }
            log.info("station connection " + c.describe() + " accepted");
            new StationConnection(c, software, log, link).start();
        }
    }
}
