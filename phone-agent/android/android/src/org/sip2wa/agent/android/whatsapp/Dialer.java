package org.sip2wa.agent.android.whatsapp;

import java.io.IOException;

import org.sip2wa.agent.android.system.ShellCommands;
import org.sip2wa.agent.protocol.CallOutcome;

/**
 * Starts a WhatsApp voice call without touching WhatsApp's UI: a contact for the number, READ_CONTACTS for
 * WhatsApp so its sync sees it, then ACTION_VIEW on the voice-call data row WhatsApp's sync adds (the
 * intent contact apps use). No row after {@link #SYNC_TIMEOUT_MS} means WhatsApp has no account for the
 * number.
 */
final class Dialer {
    static final long SYNC_TIMEOUT_MS = 20000;
    static final long SYNC_POLL_MS = 500;

    /** Why a call could not be placed, and the outcome the station sees. */
    static final class DialFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final CallOutcome outcome;

        DialFailure(String message, CallOutcome outcome) {
            super(message);
            this.outcome = outcome;
        }
    }

    /** Asked while waiting for the sync: the station hung up before the call was placed. */
    interface Cancellation {
        boolean cancelled();
    }

    private final WhatsAppPackage whatsapp;
    private final ContactsDirectory contacts;
    private final ShellCommands shell;

    Dialer(WhatsAppPackage whatsapp, ContactsDirectory contacts, ShellCommands shell) {
        this.whatsapp = whatsapp;
        this.contacts = contacts;
        this.shell = shell;
    }

    /** Blocks until the call intent was started (or throws why not). */
    void place(String digits, Cancellation cancellation) throws DialFailure, InterruptedException {
        if (!whatsapp.installed()) throw new DialFailure("WhatsApp (com.whatsapp) is not installed", CallOutcome.ERROR);
        String grant = whatsapp.ensureReadContacts();
        if (grant != null) throw new DialFailure(grant, CallOutcome.ERROR);
        long row;
        try {
            contacts.ensureContact(digits);
            row = awaitVoipRow(digits, cancellation);
        } catch (RuntimeException e) {
            throw new DialFailure("contacts provider: " + e.getMessage(), CallOutcome.ERROR);
        }
        if (row < 0) throw new DialFailure("no WhatsApp call row for " + digits + " after " + SYNC_TIMEOUT_MS + " ms", CallOutcome.NOT_ON_WHATSAPP);
        try {
            ShellCommands.Result r = shell.run("am", "start", "-a", "android.intent.action.VIEW",
                    "-d", "content://com.android.contacts/data/" + row, "-t", ContactsDirectory.VOIP_CALL_MIME,
                    "-p", WhatsAppPackage.PACKAGE);
            if (!r.ok() || r.output.contains("Error")) throw new DialFailure("am start failed: " + r.output.trim(), CallOutcome.ERROR);
        } catch (IOException e) {
            throw new DialFailure("am start failed: " + e.getMessage(), CallOutcome.ERROR);
        }
    }

    private long awaitVoipRow(String digits, Cancellation cancellation) throws InterruptedException, DialFailure {
        long deadline = System.nanoTime() + SYNC_TIMEOUT_MS * 1000000L;
        while (true) {
            if (cancellation.cancelled()) throw new DialFailure("hung up before the call was placed", CallOutcome.LOCAL_HANGUP);
            long row = contacts.voipCallRow(digits);
            if (row >= 0 || System.nanoTime() > deadline) return row;
            Thread.sleep(SYNC_POLL_MS);
        }
    }
}
