package org.sip2wa.agent.android.whatsapp;

import java.io.IOException;

import org.sip2wa.agent.android.system.ShellCommands;
import org.sip2wa.agent.platform.AgentLog;

/**
 * The caller of a ringing call, from WhatsApp's call notification (`dumpsys notification --noredact`,
 * which shell may run), else from WhatsApp's incoming-call screen: a title that is a number is the number;
 * a name is mapped back to a number through the contacts provider, and stays the name when no contact
 * matches.
 */
final class NotificationCaller implements CallTracker.CallerSource {
    private final ShellCommands shell;
    private final ContactsDirectory contacts;
    private final UiDriver screen;
    private final AgentLog log;

    NotificationCaller(ShellCommands shell, ContactsDirectory contacts, UiDriver screen, AgentLog log) {
        this.shell = shell;
        this.contacts = contacts;
        this.screen = screen;
        this.log = log;
    }

    @Override
    public String[] caller() {
        String title = null;
        try {
            title = CallNotification.callerTitle(shell.run("dumpsys", "notification", "--noredact").output);
        } catch (IOException e) {
            log.warn("whatsapp: could not read the call notification: " + e.getMessage());
        }
        if (title == null) title = screen.callerText();
        if (title.length() == 0) return new String[] {"", ""};
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
