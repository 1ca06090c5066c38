package org.sip2wa.agent.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
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
import org.sip2wa.agent.protocol.NetworkType;

/**
 * A platform whose WhatsApp is the test: each command is recorded as a line ("dial 7 15550100001") the
 * test waits for, and the test plays WhatsApp's events through {@link #listener()}. Audio injected by the
 * core is counted; captured audio is pushed by the test through {@link #capture()}.
 */
public final class FakePlatform implements Platform, WhatsAppControl, AudioDevice, AgentLog {
    private final BlockingQueue<String> commands = new LinkedBlockingQueue<String>();
    private final Clock clock = new SystemClock();
    private final List<short[]> injected = new ArrayList<short[]>();
    private volatile WhatsAppListener listener;
    /** What accountState() reports; a test changes it and plays listener().accountStateChanged. */
    public volatile AccountState accountState = AccountState.REGISTERED;
    private volatile CaptureSink capture;
    public volatile boolean closed;

    /** The next WhatsApp command the core gave, or fails after 3 s. */
    public String nextCommand() throws InterruptedException {
        String c = commands.poll(3, TimeUnit.SECONDS);
        if (c == null) throw new AssertionError("no WhatsApp command within 3 s");
        return c;
    }

    public WhatsAppListener listener() {
        return listener;
    }

    public CaptureSink capture() {
        return capture;
    }

    public synchronized short[] lastInjected() {
        return injected.get(injected.size() - 1);
    }

    /** Waits up to 3 s for an injected frame whose first sample is {@code value}. */
    public boolean waitInjected(int value) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (this) {
                for (short[] f : injected) {
                    if (f[0] == value) return true;
                }
            }
            Thread.sleep(5);
        }
        return false;
    }

    public synchronized int injectedFrames() {
        return injected.size();
    }

    @Override
    public PhoneInfo phoneInfo() {
        return new PhoneInfo("15550123456", "2.24.10.74", "14", 34, "Google", "Pixel 7", 87, true, 312,
                NetworkType.WIFI, 3);
    }

    @Override
    public AudioRoute audioRoute() {
        return AudioRoute.AUDIO_POLICY;
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
        closed = true;
    }

    @Override
    public void setListener(WhatsAppListener l) {
        listener = l;
    }

    @Override
    public void dial(int callId, String number) {
        commands.add("dial " + callId + " " + number);
    }

    @Override
    public void answer(int callId) {
        commands.add("answer " + Integer.toHexString(callId));
    }

    @Override
    public void decline(int callId) {
        commands.add("decline " + Integer.toHexString(callId));
    }

    @Override
    public void hangUp(int callId) {
        commands.add("hang-up " + Integer.toHexString(callId));
    }

    @Override
    public void sendMessage(long messageId, String to, String text) {
        commands.add("send " + messageId + " " + to + " " + text);
    }

    @Override
    public AccountState accountState() {
        return accountState;
    }

    @Override
    public void startCapture(CaptureSink sink) {
        capture = sink;
        commands.add("capture on");
    }

    @Override
    public void stopCapture() {
        capture = null;
        commands.add("capture off");
    }

    @Override
    public void startInjection() {
    }

    @Override
    public synchronized void inject(short[] frame) {
        injected.add(frame.clone());
    }

    @Override
    public void stopInjection() {
    }

    @Override
    public void info(String message) {
    }

    @Override
    public void warn(String message) {
    }

    @Override
    public void error(String message, Throwable cause) {
        System.err.println("agent error: " + message + " " + cause);
    }
}
