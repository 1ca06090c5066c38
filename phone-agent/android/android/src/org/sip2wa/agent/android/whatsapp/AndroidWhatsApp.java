package org.sip2wa.agent.android.whatsapp;

import android.content.Context;
import android.media.AudioManager;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;
import org.sip2wa.agent.android.system.ShellCommands;
import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.WhatsAppControl;
import org.sip2wa.agent.platform.WhatsAppListener;
import org.sip2wa.agent.protocol.AccountState;
import org.sip2wa.agent.protocol.CallOutcome;

/**
 * WhatsApp on a real phone, without modifying it: calls placed through the contacts provider and
 * WhatsApp's call intent, buttons pressed through UiAutomation, the call followed by sampling the audio
 * service and the call screen every {@link #POLL_MS}. Commands run on one worker thread (they block on
 * the contacts sync and on UI lookups), the sampling on another.
 */
public final class AndroidWhatsApp implements WhatsAppControl {
    static final long POLL_MS = 250;
    /** How often the account's state is read (a dumpsys when the screen cannot be read, so not faster). */
    static final long ACCOUNT_POLL_MS = 5000;
    static final String NO_MESSAGES = "not supported on this phone";

    private final Context context;
    private final Lookups lookups;
    private final AgentLog log;
    private final ShellCommands shell = new ShellCommands(10000);
    private final WhatsAppPackage whatsapp;
    private final ContactsDirectory contacts;
    private final UiAutomationSession uiSession;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(named("sip2wa-whatsapp"));
    private volatile WhatsAppListener listener;
    private volatile CallTracker tracker;
    private volatile UiDriver ui;
    private volatile boolean running = true;
    /** The outbound call being placed (contacts sync, intent), 0 when none; a hang-up cancels it. */
    private volatile int placing;
    private volatile int cancelled;
    private Thread monitor;
    private Thread accountMonitor;
    private volatile AccountState accountState = AccountState.UNKNOWN;

    public AndroidWhatsApp(Context context, Lookups lookups, AgentLog log) {
        this.context = context;
        this.lookups = lookups;
        this.log = log;
        this.whatsapp = new WhatsAppPackage(context, shell);
        this.contacts = new ContactsDirectory(context.getContentResolver());
        this.uiSession = new UiAutomationSession(lookups, context);
    }

    public WhatsAppPackage whatsappPackage() {
        return whatsapp;
    }

    /** Connects UiAutomation; returns why not, or null. Buttons fall back to key events without it. */
    public String connectUi() {
        try {
            uiSession.connect();
            return null;
        } catch (LookupException e) {
            lookups.record("UiAutomation connect", e.getMessage());
            return e.getMessage();
        }
    }

    /** For the probe: connects UiAutomation and disconnects again; returns why not, or null. */
    public String probeUi() {
        String problem = connectUi();
        uiSession.close();
        return problem;
    }

    @Override
    public void setListener(WhatsAppListener l) {
        listener = l;
        String uiProblem = connectUi();
        if (uiProblem != null) log.warn("whatsapp: UiAutomation unavailable (" + uiProblem + "); buttons use key events");
        ui = new UiDriver(uiSession, new UiDriver.Keys() {
            @Override
            public boolean press(int keyCode) {
                try {
                    return shell.run("input", "keyevent", String.valueOf(keyCode)).ok();
                } catch (java.io.IOException e) {
                    log.warn("whatsapp: input keyevent " + keyCode + " failed: " + e.getMessage());
                    return false;
                }
            }
        }, whatsapp.version());
        tracker = new CallTracker(l, new NotificationCaller(shell, contacts, ui, log), log);
        final CallSignalsReader reader = new CallSignalsReader(lookups,
                (AudioManager) context.getSystemService(Context.AUDIO_SERVICE), whatsapp.uid(), ui);
        monitor = new Thread(new Runnable() {
            @Override
            public void run() {
                sample(reader);
            }
        }, "sip2wa-call-monitor");
        monitor.setDaemon(true);
        monitor.start();
        final AccountWatch watch = new AccountWatch(whatsapp, uiSession, shell, log);
        accountState = watch.read(AccountState.UNKNOWN);
        accountMonitor = new Thread(new Runnable() {
            @Override
            public void run() {
                watchAccount(watch);
            }
        }, "sip2wa-account-watch");
        accountMonitor.setDaemon(true);
        accountMonitor.start();
    }

    @Override
    public AccountState accountState() {
        return accountState;
    }

    private void watchAccount(AccountWatch watch) {
        while (running) {
            try {
                Thread.sleep(ACCOUNT_POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                AccountState now = watch.read(accountState);
                if (now != accountState) {
                    log.info("whatsapp: account " + accountState.wireName() + " -> " + now.wireName());
                    accountState = now;
                    listener.accountStateChanged(now);
                }
            } catch (RuntimeException e) {
                log.error("whatsapp: reading the account state failed", e);
            }
        }
    }

    private void sample(CallSignalsReader reader) {
        while (running) {
            try {
                tracker.step(reader.read(), System.nanoTime() / 1000000L);
            } catch (RuntimeException e) {
                log.error("whatsapp: sampling the call failed", e);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void dial(final int callId, final String number) {
        worker.execute(new Runnable() {
            @Override
            public void run() {
                String digits = PhoneNumbers.normalise(number);
                if (digits == null) {
                    log.warn("whatsapp: call " + Integer.toHexString(callId) + ": '" + number + "' is not an international number");
                    listener.ended(callId, CallOutcome.ERROR);
                    return;
                }
                placing = callId;
                try {
                    new Dialer(whatsapp, contacts, shell).place(digits, new Dialer.Cancellation() {
                        @Override
                        public boolean cancelled() {
                            return cancelled == callId;
                        }
                    });
                } catch (Dialer.DialFailure e) {
                    log.warn("whatsapp: call " + Integer.toHexString(callId) + ": " + e.getMessage());
                    listener.ended(callId, e.outcome);
                    return;
                } catch (InterruptedException e) {
                    listener.ended(callId, CallOutcome.ERROR);
                    return;
                } finally {
                    placing = 0;
                }
                tracker.outboundStarted(callId, System.nanoTime() / 1000000L);
                listener.dialing(callId, digits);
                if (cancelled == callId) {
                    // hung up while the intent was starting: end the call WhatsApp is now placing
                    tracker.hangUpRequested(callId, System.nanoTime() / 1000000L);
                    ui.press(UiAction.END_CALL);
                    return;
                }
                // some versions ask "Call <name>?" first; nothing to press is the usual case
                ui.press(UiAction.CONFIRM_CALL);
            }
        });
    }

    @Override
    public void answer(final int callId) {
        press(callId, UiAction.ANSWER, false);
    }

    @Override
    public void decline(final int callId) {
        press(callId, UiAction.DECLINE, true);
    }

    @Override
    public void hangUp(final int callId) {
        if (placing == callId) cancelled = callId;
        worker.execute(new Runnable() {
            @Override
            public void run() {
                if (tracker.current() != callId) return;
                boolean ringing = tracker.ringingIncoming(callId);
                tracker.hangUpRequested(callId, System.nanoTime() / 1000000L);
                String how = ui.press(ringing ? UiAction.DECLINE : UiAction.END_CALL);
                log.info("whatsapp: hang up " + Integer.toHexString(callId) + (how == null ? ": no button found" : " by " + how));
            }
        });
    }

    private void press(final int callId, final UiAction action, final boolean declining) {
        worker.execute(new Runnable() {
            @Override
            public void run() {
                if (declining) tracker.declineRequested(callId, System.nanoTime() / 1000000L);
                String how = ui.press(action);
                log.info("whatsapp: " + action + " " + Integer.toHexString(callId) + (how == null ? ": no button found" : " by " + how));
                if (how == null && !declining) tracker.fail(callId, CallOutcome.ERROR);
            }
        });
    }

    /** No reliable way to send a WhatsApp text from outside the app exists here (README, "Messages"). */
    @Override
    public void sendMessage(long messageId, String to, String text) {
        listener.messageSent(messageId, false, NO_MESSAGES);
    }

    /** Stops sampling and commands, disconnects UiAutomation and removes the contacts the agent added. */
    public void close() {
        running = false;
        if (monitor != null) monitor.interrupt();
        if (accountMonitor != null) accountMonitor.interrupt();
        worker.shutdownNow();
        uiSession.close();
        try {
            int removed = contacts.removeTagged();
            if (removed > 0) log.info("whatsapp: removed " + removed + " contacts the agent had added");
        } catch (RuntimeException e) {
            log.warn("whatsapp: could not remove the agent's contacts: " + e.getMessage());
        }
    }

    private static ThreadFactory named(final String name) {
        return new ThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            }
        };
    }
}
