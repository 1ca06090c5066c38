package org.sip2wa.agent.audio;

import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.AudioDevice;
import org.sip2wa.agent.platform.Clock;
import org.sip2wa.agent.protocol.Protocol;

/**
 * Feeds WhatsApp's microphone: on the pacer's schedule it takes one frame from the jitter FIFO (silence
 * when the station sent nothing) and injects it. {@link #runDue(long)} does one step, so tests drive it on
 * a virtual clock; {@link #start()} runs the steps on a thread of its own, sleeping until each is due.
 */
public final class UplinkInjector {
    private final AudioDevice device;
    private final JitterFifo fifo;
    private final Clock clock;
    private final AgentLog log;
    private final short[] frame = new short[Protocol.FRAME_SAMPLES];
    private Pacer pacer;
    private Thread thread;
    private volatile boolean running;

    public UplinkInjector(AudioDevice device, JitterFifo fifo, Clock clock, AgentLog log) {
        this.device = device;
        this.fifo = fifo;
        this.clock = clock;
        this.log = log;
    }

    /** Restarts the schedule at {@code now}. */
    public void reset(long now) {
        pacer = new Pacer(now);
    }

    /** Injects every frame due at {@code now}; returns how many. */
    public int runDue(long now) {
        int n = pacer.take(now);
        for (int i = 0; i < n; i++) {
            fifo.poll(frame);
            device.inject(frame);
        }
        return n;
    }

    public long nextDue() {
        return pacer.nextDue();
    }

    public synchronized void start() {
        if (running) return;
        running = true;
        reset(clock.monotonicNanos());
        thread = new Thread(new Runnable() {
            @Override
            public void run() {
                loop();
            }
        }, "sip2wa-uplink");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t == null) return;
        t.interrupt();
        if (t != Thread.currentThread()) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        try {
            while (running) {
                clock.sleepUntil(pacer.nextDue());
                if (running) runDue(clock.monotonicNanos());
            }
        } catch (InterruptedException e) {
            // stop() interrupts the sleep.
        } catch (RuntimeException e) {
            log.error("uplink injection failed", e);
        }
    }
}
