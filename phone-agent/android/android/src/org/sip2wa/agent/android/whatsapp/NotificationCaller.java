package org.sip2wa.agent.android.whatsapp;

import java.io.IOException;

import org.sip2wa.agent.android.system.ShellCommands;
import org.sip2wa.agent.platform.AgentLog;

/**
 * The caller of a ringing call, from WhatsApp's call notification (`dumpsys notification --noredact`,
 * which shell may run): a title that is a number is the number; a name is mapped back to a number through
 * the contacts provider, and stays the name when no contact matches.
 */
final class NotificationCaller implements CallTracker.CallerSource {
    private final ShellCommands shell;
    private final ContactsDirectory contacts;
    private final AgentLog log;

    NotificationCaller(ShellCommands shell, ContactsDirectory contacts, AgentLog log) {
        this.shell = shell;
        this.contacts = contacts;
        this.log = log;
    }

    @Override
    public String[] caller() {
        String title;
        try {
            title = CallNotification.callerTitle(shell.run("dumpsys", "notification", "--noredact").output);
        } catch (IOException e) {
            log.warn("whatsapp: could not read the call notification: " + e.getMessage());
            return new String[] {"", ""};
        }
        if (title == null) return new String[] {"", ""};
        String number = PhoneNumbers.normalise(title);
        if (number != null) return new String[] {number, ""};
        String mapped = null;
        try {
            mapped = contacts.numberForName(title);
        } catch (RuntimeException e) {
            log.warn("whatsapp: contacts lookup of the caller failed: " + e.getMessage());
        }
        return new String[] {mapped == null ? "" : mapped, title};
    }
}
