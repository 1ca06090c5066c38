package org.sip2wa.agent.android;

import android.content.Context;
import android.os.Build;
import android.os.Process;

import org.sip2wa.agent.android.audio.AudioRoutes;
import org.sip2wa.agent.android.info.PhoneInfoReader;
import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;
import org.sip2wa.agent.android.system.ShellCommands;
import org.sip2wa.agent.android.system.ShellContext;
import org.sip2wa.agent.android.system.SystemContext;
import org.sip2wa.agent.android.whatsapp.AndroidWhatsApp;
import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.AudioDevice;
import org.sip2wa.agent.platform.Clock;
import org.sip2wa.agent.platform.PhoneInfo;
import org.sip2wa.agent.platform.Platform;
import org.sip2wa.agent.platform.SystemClock;
import org.sip2wa.agent.platform.WhatsAppControl;
import org.sip2wa.agent.protocol.AudioRoute;

/**
 * The agent's platform on a real phone, as shell (uid 2000) or root (uid 0): the shell context, the audio
 * routes decided at start, WhatsApp control and phone info. Built once by Main; closed last by the core.
 */
public final class AndroidPlatform implements Platform {
    private final AgentLog log;
    private final AudioRoutes routes;
    private final AndroidWhatsApp whatsapp;
    private final PhoneInfoReader info;
    private final Clock clock = new SystemClock();

    private AndroidPlatform(AgentLog log, AudioRoutes routes, AndroidWhatsApp whatsapp, PhoneInfoReader info) {
        this.log = log;
        this.routes = routes;
        this.whatsapp = whatsapp;
        this.info = info;
    }

    /** The shell context every other part needs; throws naming the hidden member that is missing. */
    public static Context shellContext(Lookups lookups) throws LookupException {
        Context shell = new ShellContext(SystemContext.create(lookups), lookups);
        SystemContext.bindShellApplication(lookups, shell);
        return shell;
    }

    public static AndroidPlatform open(Lookups lookups, AgentLog log) throws LookupException {
        Context context = shellContext(lookups);
        int uid = Process.myUid();
        AudioRoutes routes = AudioRoutes.open(lookups, context, log, Build.VERSION.SDK_INT, uid);
        if (routes.route == AudioRoute.NONE) log.warn("audio: no route on this phone: " + routes.reason);
        else log.info("audio: route " + routes.route.wireName() + " (downlink " + routes.downlinkVariant + ", uid " + uid + ")");
        AndroidWhatsApp whatsapp = new AndroidWhatsApp(context, lookups, log);
        PhoneInfoReader info = new PhoneInfoReader(context, whatsapp.whatsappPackage(), new ShellCommands(5000));
        return new AndroidPlatform(log, routes, whatsapp, info);
    }

    @Override
    public PhoneInfo phoneInfo() {
        return info.read();
    }

    @Override
    public AudioRoute audioRoute() {
        return routes.route;
    }

    @Override
    public WhatsAppControl whatsApp() {
        return whatsapp;
    }

    @Override
    public AudioDevice audio() {
        return routes.device;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public AgentLog log() {
        return log;
    }

    @Override
    public void close() {
        whatsapp.close();
        routes.close();
    }
}
