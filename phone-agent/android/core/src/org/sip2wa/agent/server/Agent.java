package org.sip2wa.agent.server;

import java.util.concurrent.CountDownLatch;
import org.sip2wa.agent.audio.CallAudio;
import org.sip2wa.agent.call.CallManager;
import org.sip2wa.agent.call.WhatsAppEvents;
import org.sip2wa.agent.link.StationLink;
import org.sip2wa.agent.platform.PhoneInfo;
import org.sip2wa.agent.platform.Platform;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;

/**
 * One agent: the platform, the station link, the call manager and the accept loop, wired together.
 * {@code Agent.builder(platform, source).software("sip2wa-agent/1.0").build().start()}; {@link #stop()}
 * tears down in strict order: no new connections, every call ended (the station hears each end), the
 * station connections closed, the event thread drained, and the platform released last.
 */
public final class Agent {
    public static final String DEFAULT_SOFTWARE = "sip2wa-agent/1.0.0";

    private final Platform platform;
    private final EventLoop loop;
    private final StationLink link;
    private final CallManager calls;
    private final AgentServer server;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean started;
    private boolean stopping;

    private Agent(Builder b) {
        this.platform = b.platform;
        final String software = b.software;
        loop = new EventLoop("sip2wa-events", platform.log());
        link = new StationLink(loop, platform.log());
        CallAudio audio = new CallAudio(platform.audio(), platform.clock(), link, platform.log());
        calls = new CallManager(link, platform, audio, new CallManager.InfoSource() {
            @Override
            public Message info() {
                return infoMessage(software);
            }
        });
        link.setHandler(calls);
        server = new AgentServer(b.source, link, software, platform.log());
    }

    public static Builder builder(Platform platform, ConnectionSource source) {
        return new Builder(platform, source);
    }

    public synchronized void start() {
        if (started) throw new IllegalStateException("the agent was already started");
        started = true;
        platform.whatsApp().setListener(new WhatsAppEvents(loop, calls));
        loop.start();
        server.start();
        platform.log().info("agent started");
    }

    /** Stops everything in order; idempotent. */
    public void stop() {
        synchronized (this) {
            if (stopping || !started) return;
            stopping = true;
        }
        try {
            server.stop();
            final CountDownLatch ended = new CountDownLatch(1);
            loop.post(new Runnable() {
                @Override
                public void run() {
                    calls.endAll();
                    link.closeAll("the agent stopped");
                    ended.countDown();
                }
            });
            ended.await();
            loop.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            platform.close();
            platform.log().info("agent stopped");
            stopped.countDown();
        }
    }

    /** Blocks until stop() finished. */
    public void join() throws InterruptedException {
        stopped.await();
    }

    private Message infoMessage(String software) {
        PhoneInfo p = platform.phoneInfo();
        return Message.of(MessageType.INFO, software, p.account, p.whatsappVersion, p.androidVersion, p.sdk,
                p.manufacturer, p.model, p.batteryLevel, p.charging, p.temperatureDeciC, p.networkType,
                p.signalLevel, platform.audioRoute(), platform.whatsApp().accountState());
    }

    public static final class Builder {
        private final Platform platform;
        private final ConnectionSource source;
        private String software = DEFAULT_SOFTWARE;

        Builder(Platform platform, ConnectionSource source) {
            this.platform = platform;
            this.source = source;
        }

        /** The software string of hello and info. */
        public Builder software(String software) {
            this.software = software;
            return this;
        }

        public Agent build() {
            return new Agent(this);
        }
    }
}
