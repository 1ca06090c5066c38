package org.sip2wa.agent.call;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.sip2wa.agent.platform.WhatsAppListener;
import org.sip2wa.agent.protocol.AccountState;
import org.sip2wa.agent.protocol.CallOutcome;
import org.sip2wa.agent.server.EventLoop;

/** The platform's WhatsApp events, from whatever thread, handed to the call manager on the event thread. */
public final class WhatsAppEvents implements WhatsAppListener {
    /** A stopped event thread never answers: the platform then treats the call as refused. */
    private static final long INCOMING_TIMEOUT_S = 5;

    private final EventLoop loop;
    private final CallManager calls;

    public WhatsAppEvents(EventLoop loop, CallManager calls) {
        this.loop = loop;
        this.calls = calls;
    }

    @Override
    public void dialing(final int callId, String number) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                calls.dialing(callId);
            }
        });
    }

    @Override
    public void ringing(final int callId) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                calls.ringing(callId);
            }
        });
    }

    @Override
    public void connected(final int callId) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                calls.connected(callId);
            }
        });
    }

    @Override
    public void ended(final int callId, final CallOutcome outcome) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                calls.ended(callId, outcome);
            }
        });
    }

    /** Waits for the event thread to assign the id (the platform names the call by it from then on). */
    @Override
    public int incoming(final String number, final String name) {
        Callable<Integer> assign = new Callable<Integer>() {
            @Override
            public Integer call() {
                return calls.incoming(number, name);
            }
        };
        if (loop.onLoopThread()) return calls.incoming(number, name);
        FutureTask<Integer> task = new FutureTask<Integer>(assign);
        loop.post(task);
        try {
            return task.get(INCOMING_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            return 0;
        }
    }

    @Override
    public void messageReceived(final String from, final String name, final String text, final long timeMs) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                calls.messageReceived(from, name, text, timeMs);
            }
        });
    }

    @Override
    public void messageSent(final long messageId, final boolean ok, final String error) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                calls.messageSent(messageId, ok, error);
            }
        });
    }

    @Override
    public void accountStateChanged(final AccountState state) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                calls.accountStateChanged(state);
            }
        });
    }
}
