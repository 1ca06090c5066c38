package org.sip2wa.agent.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.sip2wa.agent.protocol.Channel;
import org.sip2wa.agent.protocol.Codec;
import org.sip2wa.agent.protocol.FrameReader;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.protocol.Protocol;
import org.sip2wa.agent.protocol.ProtocolException;

/** A minimal station end of the link over loopback TCP: connect, handshake, send, wait for a message. */
public final class StationClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameReader reader = new FrameReader();
    private final List<Message> inbox = new ArrayList<Message>();
    private boolean eof;

    public StationClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(200);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Reads the agent's hello, sends ours and the channel, and confirms with a ping. */
    public static StationClient open(int port, Channel channel) throws Exception {
        StationClient c = new StationClient(port);
        c.next(MessageType.HELLO);
        c.send(Message.of(MessageType.HELLO, Protocol.VERSION, "junit-station/1"));
        c.send(Message.of(MessageType.CHANNEL, channel));
        c.send(Message.of(MessageType.PING, 77L));
        c.next(MessageType.PONG);
        return c;
    }

    public void send(Message m) throws IOException {
        out.write(Codec.encode(m));
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The first message of the type within 3 s (messages of other types stay in the inbox). */
    public Message next(MessageType type) throws Exception {
        long deadline = System.currentTimeMillis() + 3000;
        while (true) {
            for (Iterator<Message> it = inbox.iterator(); it.hasNext();) {
                Message m = it.next();
                if (m.type == type) {
                    it.remove();
                    return m;
                }
            }
            if (eof || System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + type.wireName + " from the agent (inbox " + inbox + (eof ? ", closed" : "") + ")");
            }
            readSome();
        }
    }

    /** True once the agent closed the connection (waits up to 3 s). */
    public boolean closedByAgent() throws Exception {
        long deadline = System.currentTimeMillis() + 3000;
        while (!eof && System.currentTimeMillis() < deadline) readSome();
        return eof;
    }

    public List<Message> drain() throws Exception {
        readSome();
        List<Message> all = new ArrayList<Message>(inbox);
        inbox.clear();
        return all;
    }

    private void readSome() throws IOException, ProtocolException {
        byte[] buf = new byte[4096];
        try {
            int n = in.read(buf);
            if (n < 0) eof = true;
            else reader.push(buf, 0, n, inbox);
        } catch (java.net.SocketTimeoutException e) {
            // Nothing yet.
        } catch (java.net.SocketException e) {
            eof = true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
