package org.sip2wa.agent.android.whatsapp;

import java.io.IOException;
import java.util.List;

import org.sip2wa.agent.android.system.ShellCommands;
import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.protocol.AccountState;

/**
 * Reads the WhatsApp account's state (PROTOCOL.md, "Account state"): NOT_INSTALLED from the package
 * manager, else what WhatsApp's windows show through UiAutomation ({@link AccountScreens}), else, when no
 * window can be read, the foreground activity from `dumpsys activity activities`. A screen that shows no
 * WhatsApp window says nothing new, so the previous state stands; with nothing ever read it is
 * REGISTERED when the screen was readable, UNKNOWN when it was not. UNVERIFIED on a phone.
 */
final class AccountWatch {
    private final WhatsAppPackage whatsapp;
    private final UiDriver.Screen screen;
    private final ShellCommands shell;
    private final AgentLog log;

    AccountWatch(WhatsAppPackage whatsapp, UiDriver.Screen screen, ShellCommands shell, AgentLog log) {
        this.whatsapp = whatsapp;
        this.screen = screen;
        this.shell = shell;
        this.log = log;
    }

    AccountState read(AccountState previous) {
        if (!whatsapp.installed()) return AccountState.NOT_INSTALLED;
        List<UiNode> roots = screen.roots();
        AccountState seen = roots.isEmpty() ? fromActivity() : AccountScreens.fromWindows(roots);
        if (seen != null) return seen;
        if (previous == AccountState.NOT_INSTALLED || previous == AccountState.UNKNOWN) {
            return roots.isEmpty() ? AccountState.UNKNOWN : AccountState.REGISTERED;
        }
        return previous;
    }

    private AccountState fromActivity() {
        try {
            ShellCommands.Result r = shell.run("dumpsys", "activity", "activities");
            return r.ok() ? AccountScreens.fromActivity(AccountScreens.resumedActivity(r.output)) : null;
        } catch (IOException e) {
            log.warn("whatsapp: dumpsys activity failed: " + e.getMessage());
            return null;
        }
    }
}
