package org.sip2wa.agent;

import android.os.Looper;

import org.sip2wa.agent.android.AndroidPlatform;
import org.sip2wa.agent.android.LogcatLog;
import org.sip2wa.agent.android.probe.Probe;
import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;
import org.sip2wa.agent.android.server.LocalSocketSource;
import org.sip2wa.agent.server.Agent;

/**
 * The agent's entry point on a phone, started by the station over adb:
 * {@code CLASSPATH=/data/local/tmp/sip2wa-agent.jar app_process / org.sip2wa.agent.Main --socket sip2wa_agent}.
 * {@code --probe} prints one JSON line about what works on this phone and exits. Exit codes: 0 stopped,
 * 1 could not start (the reason on stderr and in logcat), 2 bad arguments.
 */
public final class Main {
    public static final String SOFTWARE = "sip2wa-agent/1.0.0 (android)";
    static final String DEFAULT_SOCKET = "sip2wa_agent";

    private Main() {
    }

    public static void main(String[] args) {
        String socket = DEFAULT_SOCKET;
        boolean probe = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--probe")) probe = true;
            else if (args[i].equals("--socket") && i + 1 < args.length) socket = args[++i];
            else if (args[i].equals("--daemon")) continue; // the station's flag: run until stopped, which is the default
            else usage("unknown argument " + args[i]);
        }
        // The audio policies and the framework managers post to the main looper; it must exist.
        Looper.prepareMainLooper();
        LogcatLog log = new LogcatLog();
        Lookups lookups = new Lookups();
        if (probe) {
            System.out.println(Probe.run(lookups, log));
            System.exit(0);
        }
        try {
            AndroidPlatform platform = AndroidPlatform.open(lookups, log);
            LocalSocketSource source = new LocalSocketSource(socket);
            final Agent agent = Agent.builder(platform, source).software(SOFTWARE).build();
            Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                @Override
                public void run() {
                    agent.stop();
                }
            }, "sip2wa-shutdown"));
            agent.start();
            agent.join();
        } catch (LookupException e) {
            fatal(log, "the agent cannot run on this phone: " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            fatal(log, "cannot listen on @" + socket + " (is another agent running?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fatal(log, "the agent failed to start: " + e, e);
        }
        System.exit(0);
    }

    private static void usage(String why) {
        System.err.println("sip2wa-agent: " + why);
        System.err.println("usage: app_process / org.sip2wa.agent.Main [--socket NAME] [--daemon] | --probe");
        System.exit(2);
    }

    private static void fatal(LogcatLog log, String message, Throwable cause) {
        System.err.println("sip2wa-agent: " + message);
        log.error(message, cause);
        System.exit(1);
    }
}
