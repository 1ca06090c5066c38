package org.sip2wa.agent.link;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.protocol.Channel;
import org.sip2wa.agent.protocol.FrameReader;
import org.sip2wa.agent.protocol.FrameWriter;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.protocol.Protocol;
import org.sip2wa.agent.protocol.ProtocolException;
import org.sip2wa.agent.server.Connection;

/**
 * The agent's side of one station connection: it says hello first (adb forward accepts a connection
 * even with no agent behind it, so only this hello proves one), checks the station's hello and channel on
 * its own reader thread, then hands every later message to the listener. Garbage closes it: after a
 * decoding error the frame boundaries can no longer be trusted.
 */
public final class StationConnection {
    /** Called from the connection's reader thread. */
    public interface Listener {
        void ready(StationConnection c);

        void message(StationConnection c, Message m);

        /** Once, when the connection is gone. */
        void closed(StationConnection c, String reason);
    }

    private final Connection conn;
    private final String software;
    private final AgentLog log;
    private final Listener listener;
    private final String label;
    private final FrameReader reader = new FrameReader();
    private volatile FrameWriter writer;
    private volatile ConnectionState state = ConnectionState.AWAITING_HELLO;
    private volatile Channel channel;

    public StationConnection(Connection conn, String software, AgentLog log, Listener listener) {
        this.conn = conn;
        this.software = software;
        this.log = log;
        this.listener = listener;
        this.label = conn.describe();
    }

    /** Sends the agent's hello and starts reading on a thread of its own. */
    public void start() {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                readLoop();
            }
        }, "sip2wa-link " + label);
        t.setDaemon(true);
        t.start();
    }

    public Channel channel() {
        return channel;
    }

    public ConnectionState state() {
        return state;
    }

    public String label() {
        return label + (channel == null ? "" : " (" + channel.wireName() + ")");
    }

    /** Sends one frame; a failed write closes the connection. Safe from any thread. */
    public void send(Message m) {
        FrameWriter w = writer;
        if (w == null || state == ConnectionState.CLOSED) return;
        try {
            w.write(m);
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
        }
    }

    public void sendError(int code, String text) {
        send(Message.of(MessageType.ERROR, code, text));
    }

    /** Closes the socket; the listener hears closed() once. */
    public void close(String reason) {
        synchronized (this) {
            if (state == ConnectionState.CLOSED) return;
            state = ConnectionState.CLOSED;
        }
        log.info("station connection " + label() + " closed: " + reason);
        conn.close();
        listener.closed(this, reason);
    }

    private void readLoop() {
        InputStream in;
        try {
            writer = new FrameWriter(conn.output());
            in = conn.input();
            send(Message.of(MessageType.HELLO, Protocol.VERSION, software));
        } catch (IOException e) {
            close("could not open the streams: " + e.getMessage());
            return;
        }
        byte[] buf = new byte[8192];
        List<Message> messages = new ArrayList<Message>();
        try {
            while (state != ConnectionState.CLOSED) {
                int n = in.read(buf);
                if (n < 0) {
                    reader.end();
                    close("the station closed the connection");
                    return;
                }
                messages.clear();
                reader.push(buf, 0, n, messages);
                for (Message m : messages) {
                    if (state == ConnectionState.CLOSED) return;
                    receive(m);
                }
            }
        } catch (ProtocolException e) {
            log.warn("station " + label() + " sent garbage, dropping the link (" + e.getMessage() + ")");
            close("protocol error from the station: " + e.getMessage());
        } catch (IOException e) {
            close("read failed: " + e.getMessage());
        }
    }

    private void receive(Message m) {
        switch (state) {
            case AWAITING_HELLO:
                hello(m);
                return;
            case AWAITING_CHANNEL:
                if (m.type != MessageType.CHANNEL) {
                    refuse(Protocol.ERROR_HANDSHAKE, "expected channel right after hello, got '" + m.type.wireName + "'");
                    return;
                }
                channel = (Channel) m.getEnum("channel");
                state = ConnectionState.READY;
                log.info("station connection " + label() + " ready");
                listener.ready(this);
                return;
            case READY:
                listener.message(this, m);
                return;
            default:
        }
    }

    private void hello(Message m) {
        if (m.type != MessageType.HELLO) {
            refuse(Protocol.ERROR_HANDSHAKE, "expected hello first, got '" + m.type.wireName + "'");
            return;
        }
        int version = m.getInt("version");
        if (version != Protocol.VERSION) {
            refuse(Protocol.ERROR_VERSION_MISMATCH, "station protocol " + version + ", agent speaks " + Protocol.VERSION);
            return;
        }
        log.info("station " + label + " says hello (" + m.getString("software") + ", protocol " + version + ")");
        state = ConnectionState.AWAITING_CHANNEL;
    }

    private void refuse(int code, String why) {
        log.warn("station " + label + ": " + why);
        sendError(code, why);
        close(why);
    }
}
