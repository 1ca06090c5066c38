package org.sip2wa.agent.host;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.AudioDevice;
import org.sip2wa.agent.platform.CaptureSink;
import org.sip2wa.agent.platform.Clock;
import org.sip2wa.agent.platform.PhoneInfo;
import org.sip2wa.agent.platform.Platform;
import org.sip2wa.agent.platform.SystemClock;
import org.sip2wa.agent.platform.WhatsAppControl;
import org.sip2wa.agent.platform.WhatsAppListener;
import org.sip2wa.agent.protocol.AccountState;
import org.sip2wa.agent.protocol.AudioRoute;
import org.sip2wa.agent.protocol.CallOutcome;
import org.sip2wa.agent.protocol.NetworkType;
import org.sip2wa.agent.server.Agent;

/**
 * One virtual phone's agent in the host JVM: the real core, listening on a loopback port the phone's
 * abstract socket is bridged to, on a platform whose WhatsApp and audio are the simulated WhatsApp's,
 * reached over the bridge. WhatsApp legs are named on the bridge by the station's call id (outbound) or by
 * the simulator's leg number (incoming), mapped here to the id the core assigned.
 */
final class HostPhone implements Platform, WhatsAppControl, AudioDevice, AgentLog {
    private static final long INFO_TIMEOUT_MS = 2000;

    private final HostMain bridge;
    private final int phone;
    private final TcpConnectionSource source;
    private final Agent agent;
    private final Clock clock = new SystemClock();
    private final ExecutorService events = Executors.newSingleThreadExecutor();
    /** A queue, not a hand-off: the reply may arrive before the event thread starts waiting for it. */
    private final LinkedBlockingQueue<PhoneInfo> infoReplies = new LinkedBlockingQueue<PhoneInfo>();
    /** Incoming calls: core call id -> simulator leg, and back. */
    private final Map<Integer, Long> legOfCall = new ConcurrentHashMap<Integer, Long>();
    private final Map<Long, Integer> callOfLeg = new ConcurrentHashMap<Long, Integer>();
    private volatile WhatsAppListener listener;
    private volatile CaptureSink capture;
    private volatile boolean injecting;
    /** The simulated WhatsApp's state of this phone's account, sent by Node at start and on every change. */
    private volatile AccountState accountState = AccountState.UNKNOWN;
    private volatile PhoneInfo lastInfo = new PhoneInfo("", "", "", 0, "", "", PhoneInfo.UNKNOWN_LEVEL, false, 0,
            NetworkType.UNKNOWN, PhoneInfo.UNKNOWN_LEVEL);

    HostPhone(HostMain bridge, int phone, String software) throws IOException {
        this.bridge = bridge;
        this.phone = phone;
        this.source = new TcpConnectionSource();
        this.agent = Agent.builder(this, source).software(software).build();
        agent.start();
    }

    int port() {
        return source.port();
    }

    /**
     * Stops the agent, then runs {@code done}. A killed agent says nothing to the station because the
     * simulator cuts the station's sockets before it asks for the stop.
     */
    void stop(final Runnable done) {
        events.execute(new Runnable() {
            @Override
            public void run() {
                agent.stop();
                done.run();
            }
        });
        events.shutdown();
    }

    /**
     * A frame from Node for this phone, on the bridge's reader thread. Info replies and audio are handled
     * at once; WhatsApp events go through this phone's own ordered thread, because the core's answer to an
     * incoming call waits for its event thread, which may itself be waiting for an info reply.
     */
    void fromNode(final int type, final BridgeFrame.Reader r) {
        if (type == BridgeFrame.INFO) {
            infoReplies.offer(readInfo(r));
            return;
        }
        if (type == BridgeFrame.AUDIO_DOWN) {
            CaptureSink sink = capture;
            if (sink != null) sink.onFrame(toSamples(r.rest()));
            return;
        }
        if (events.isShutdown()) return;
        events.execute(new Runnable() {
            @Override
            public void run() {
                event(type, r);
            }
        });
    }

    private void event(int type, BridgeFrame.Reader r) {
        WhatsAppListener l = listener;
        switch (type) {
            case BridgeFrame.RINGING:
                l.ringing(callOf(r.u32()));
                return;
            case BridgeFrame.CONNECTED:
                l.connected(callOf(r.u32()));
                return;
            case BridgeFrame.ENDED: {
                long leg = r.u32();
                int callId = callOf(leg);
                CallOutcome outcome = CallOutcome.values()[r.u8()];
                Integer mapped = callOfLeg.remove(leg);
                if (mapped != null) legOfCall.remove(mapped);
                l.ended(callId, outcome);
                return;
            }
            case BridgeFrame.INCOMING: {
                long leg = r.u32();
                int callId = l.incoming(r.str(), r.str());
                callOfLeg.put(leg, callId);
                legOfCall.put(callId, leg);
                return;
            }
            case BridgeFrame.MESSAGE_RECEIVED:
                l.messageReceived(r.str(), r.str(), r.str(), r.u64());
                return;
            case BridgeFrame.MESSAGE_SENT:
                l.messageSent(r.u32(), r.u8() == 1, r.str());
                return;
            case BridgeFrame.ACCOUNT_STATE: {
                AccountState[] states = AccountState.values();
                int index = r.u8();
                AccountState state = index < states.length ? states[index] : AccountState.UNKNOWN;
                if (state == accountState) return;
                accountState = state;
                l.accountStateChanged(state);
                return;
            }
            default:
                warn("bridge frame type " + type + " is unknown");
        }
    }

    private int callOf(long leg) {
        Integer id = callOfLeg.get(leg);
        return id != null ? id : (int) leg;
    }

    private long legOf(int callId) {
        Long leg = legOfCall.get(callId);
        return leg != null ? leg : callId & 0xffffffffL;
    }

    private PhoneInfo readInfo(BridgeFrame.Reader r) {
        String account = r.str();
        String whatsappVersion = r.str();
        String androidVersion = r.str();
        int sdk = r.u16();
        String manufacturer = r.str();
        String model = r.str();
        int battery = r.u8();
        boolean charging = r.u8() == 1;
        int temperature = (short) r.u16();
        NetworkType network = NetworkType.values()[Math.min(r.u8(), NetworkType.values().length - 1)];
        int signal = r.u8();
        return new PhoneInfo(account, whatsappVersion, androidVersion, sdk, manufacturer, model, battery, charging,
                temperature, network, signal);
    }

    private void send(BridgeFrame.Writer w, int type) {
        bridge.send(w.frame(type, phone));
    }

    // Platform

    @Override
    public PhoneInfo phoneInfo() {
        infoReplies.clear();
        send(new BridgeFrame.Writer(), BridgeFrame.INFO_REQUEST);
        try {
            PhoneInfo info = infoReplies.poll(INFO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (info != null) lastInfo = info;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lastInfo;
    }

    @Override
    public AudioRoute audioRoute() {
        return AudioRoute.SIMULATED;
    }

    @Override
    public WhatsAppControl whatsApp() {
        return this;
    }

    @Override
    public AudioDevice audio() {
        return this;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public AgentLog log() {
        return this;
    }

    @Override
    public void close() {
        capture = null;
        injecting = false;
    }

    // WhatsAppControl

    @Override
    public void setListener(WhatsAppListener l) {
        listener = l;
    }

    @Override
    public void dial(int callId, String number) {
        send(new BridgeFrame.Writer().u32(callId & 0xffffffffL).str(number), BridgeFrame.DIAL);
    }

    @Override
    public void answer(int callId) {
        send(new BridgeFrame.Writer().u32(legOf(callId)), BridgeFrame.ANSWER);
    }

    @Override
    public void decline(int callId) {
        send(new BridgeFrame.Writer().u32(legOf(callId)), BridgeFrame.DECLINE);
    }

    @Override
    public void hangUp(int callId) {
        send(new BridgeFrame.Writer().u32(legOf(callId)), BridgeFrame.HANG_UP);
    }

    @Override
    public void sendMessage(long messageId, String to, String text) {
        send(new BridgeFrame.Writer().u32(messageId).str(to).str(text), BridgeFrame.SEND_MESSAGE);
    }

    @Override
    public AccountState accountState() {
        return accountState;
    }

    // AudioDevice

    @Override
    public void startCapture(CaptureSink sink) {
        capture = sink;
    }

    @Override
    public void stopCapture() {
        capture = null;
    }

    @Override
    public void startInjection() {
        injecting = true;
    }

    @Override
    public void inject(short[] frame) {
        if (!injecting) return;
        byte[] pcm = new byte[frame.length * 2];
        for (int i = 0; i < frame.length; i++) {
            pcm[2 * i] = (byte) frame[i];
            pcm[2 * i + 1] = (byte) (frame[i] >> 8);
        }
        send(new BridgeFrame.Writer().bytes(pcm), BridgeFrame.AUDIO_UP);
    }

    @Override
    public void stopInjection() {
        injecting = false;
    }

    private static short[] toSamples(byte[] pcm) {
        short[] s = new short[pcm.length / 2];
        for (int i = 0; i < s.length; i++) s[i] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
        return s;
    }

    // AgentLog: to stderr, which the simulator logs under the phone's tag.

    @Override
    public void info(String message) {
        System.err.println("phone " + phone + " INFO " + message);
    }

    @Override
    public void warn(String message) {
        System.err.println("phone " + phone + " WARN " + message);
    }

    @Override
    public void error(String message, Throwable cause) {
        System.err.println("phone " + phone + " ERROR " + message + (cause == null ? "" : ": " + cause));
    }
}
