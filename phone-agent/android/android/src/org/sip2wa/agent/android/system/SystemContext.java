package org.sip2wa.agent.android.system;

import android.content.Context;
import android.os.Build;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;

/**
 * The framework state an `app_process` server lacks because it is not an app: an ActivityThread marked as
 * the system thread and installed as the current one, a ConfigurationController on Android 12+ (some
 * builds read the configuration through it), and the system Context it creates. AudioManager,
 * PackageManager and the content resolver all need that Context. Each step is a hidden member, looked up
 * through {@link Lookups} so a failure is reported by name.
 */
public final class SystemContext {
    private static final int ANDROID_12 = 31;

    private SystemContext() {
    }

    /** Builds the ActivityThread and returns its system Context; throws naming the first member missing. */
    public static Context create(Lookups lookups) throws LookupException {
        Class<?> threadClass = lookups.type("android.app.ActivityThread");
        Constructor<?> ctor = lookups.constructor(threadClass);
        Object thread = lookups.construct(ctor);
        lookups.set(lookups.field(threadClass, "sCurrentActivityThread"), null, thread);
        Field systemThread = lookups.field(threadClass, "mSystemThread");
        lookups.set(systemThread, thread, Boolean.TRUE);
        if (Build.VERSION.SDK_INT >= ANDROID_12) installConfigurationController(lookups, threadClass, thread);
        Method getSystemContext = lookups.method(threadClass, "getSystemContext");
        Object context = lookups.invoke(getSystemContext, thread);
        if (!(context instanceof Context)) {
            throw new LookupException("ActivityThread.getSystemContext() returned " + context, null);
        }
        return (Context) context;
    }

    /** Optional: without it most services still work, so a failure is recorded, not thrown. */
    private static void installConfigurationController(Lookups lookups, Class<?> threadClass, Object thread) {
        try {
            Class<?> controllerClass = lookups.type("android.app.ConfigurationController");
            Class<?> internal = lookups.type("android.app.ActivityThreadInternal");
            Object controller = lookups.construct(lookups.constructor(controllerClass, internal), thread);
            lookups.set(lookups.field(threadClass, "mConfigurationController"), thread, controller);
        } catch (LookupException e) {
            // recorded by Lookups; the probe shows it
        }
    }
}
