package org.sip2wa.agent.server;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.sip2wa.agent.platform.AgentLog;

/**
 * The agent's one event thread: station messages, connection changes and WhatsApp events are all handled
 * here, in arrival order, so the call table and the link need no locks.
 */
public final class EventLoop {
    private static final Runnable STOP = new Runnable() {
        @Override
        public void run() {
        }
    };

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<Runnable>();
    private final AgentLog log;
    private final Thread thread;
    private volatile boolean stopped;

    public EventLoop(String name, AgentLog log) {
        this.log = log;
        this.thread = new Thread(new Runnable() {
            @Override
            public void run() {
                loop();
            }
        }, name);
    }

    public void start() {
        thread.start();
    }

    /** Runs the task on the event thread; dropped once the loop stopped. */
    public void post(Runnable task) {
        if (!stopped) queue.add(task);
    }

    public boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs what was posted before, then ends the thread and waits for it (unless called from it). */
    public void stop() throws InterruptedException {
        if (stopped) return;
        queue.add(STOP);
        stopped = true;
        if (!onLoopThread() && thread.isAlive()) thread.join();
    }

    private void loop() {
        while (true) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) return;
            try {
                task.run();
            } catch (RuntimeException e) {
                // One bad event must not end the agent: log it and go on with the next.
                log.error("event failed: " + e, e);
            }
        }
    }
}
