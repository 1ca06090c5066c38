package org.sip2wa.agent.host;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host JVM behind a farm of virtual phones: it connects to the farm's bridge port and runs one agent
 * (the real core, with a {@link HostPhone} platform) per phone whose shell started the agent, until the
 * bridge closes. Usage: {@code java -cp build/host/classes org.sip2wa.agent.host.HostMain --bridge PORT}.
 */
public final class HostMain {
    private static final Runnable NOTHING = new Runnable() {
        @Override
        public void run() {
        }
    };

    private final Socket socket;
    private final OutputStream out;
    private final Map<Integer, HostPhone> phones = new ConcurrentHashMap<Integer, HostPhone>();

    private HostMain(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--bridge")) port = Integer.parseInt(args[i + 1]);
        }
        if (port <= 0) {
            System.err.println("usage: HostMain --bridge PORT");
            System.exit(2);
        }
        Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port);
        s.setTcpNoDelay(true);
        new HostMain(s).run();
        // The farm is gone: whatever agents remain go with the JVM.
        System.exit(0);
    }

    /** One frame to Node; frames of different phones never interleave. */
    synchronized void send(byte[] frame) {
        try {
            out.write(frame);
            out.flush();
        } catch (IOException e) {
            System.err.println("host: bridge write failed: " + e.getMessage());
        }
    }

    private void run() throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[BridgeFrame.HEADER];
        while (true) {
            try {
                in.readFully(header);
            } catch (EOFException e) {
                break;
            }
            int type = header[0] & 0xff;
            int phone = ((header[1] & 0xff) << 8) | (header[2] & 0xff);
            int length = ((header[3] & 0xff) << 24) | ((header[4] & 0xff) << 16) | ((header[5] & 0xff) << 8) | (header[6] & 0xff);
            byte[] payload = new byte[length];
            in.readFully(payload);
            dispatch(type, phone, new BridgeFrame.Reader(payload));
        }
        for (HostPhone p : phones.values()) p.stop(NOTHING);
    }

    private void dispatch(int type, int phone, BridgeFrame.Reader r) {
        if (type == BridgeFrame.START) {
            start(phone, r.str());
            return;
        }
        HostPhone p = phones.get(phone);
        if (p == null) return;
        if (type == BridgeFrame.STOP) {
            phones.remove(phone);
            final int stopped = phone;
            p.stop(new Runnable() {
                @Override
                public void run() {
                    send(new BridgeFrame.Writer().frame(BridgeFrame.STOPPED, stopped));
                }
            });
            return;
        }
        p.fromNode(type, r);
    }

    private void start(int phone, String software) {
        HostPhone old = phones.remove(phone);
        if (old != null) old.stop(NOTHING);
        try {
            HostPhone p = new HostPhone(this, phone, software);
            phones.put(phone, p);
            send(new BridgeFrame.Writer().u16(p.port()).frame(BridgeFrame.STARTED, phone));
        } catch (IOException e) {
            send(new BridgeFrame.Writer().str(String.valueOf(e.getMessage())).frame(BridgeFrame.START_FAILED, phone));
        }
    }
}
