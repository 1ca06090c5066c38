package org.sip2wa.agent.android.system;

import android.app.Application;
import android.app.Instrumentation;
import android.content.Context;
import android.content.pm.ApplicationInfo;
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
 * PackageManager and the content resolver all need that Context. Once the shell Context exists,
 * {@link #bindShellApplication} makes the thread's bound application and initial Application the shell
 * package's: AudioRecord and AudioTrack (the policies' sink and source) take the calling package from
 * there, and a null package fails their permission checks. Each step is a hidden member, looked up
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

    /**
     * Names the shell package as the thread's application: `mBoundApplication.appInfo.packageName` and
     * `mInitialApplication` (an Application around the shell Context). Optional for calls and UI, needed
     * by the audio route, so a failure is recorded (the probe shows it) and the route reports it.
     */
    public static void bindShellApplication(Lookups lookups, Context shellContext) {
        try {
            Class<?> threadClass = lookups.type("android.app.ActivityThread");
            Object thread = lookups.get(lookups.field(threadClass, "sCurrentActivityThread"), null);
            Class<?> bindDataClass = lookups.type("android.app.ActivityThread$AppBindData");
            Object bindData = lookups.construct(lookups.constructor(bindDataClass));
            ApplicationInfo info = new ApplicationInfo();
            info.packageName = ShellContext.SHELL_PACKAGE;
            lookups.set(lookups.field(bindDataClass, "appInfo"), bindData, info);
            lookups.set(lookups.field(threadClass, "mBoundApplication"), thread, bindData);
            Application app = Instrumentation.newApplication(Application.class, shellContext);
            lookups.set(lookups.field(threadClass, "mInitialApplication"), thread, app);
            lookups.record("shell application", Lookups.OK);
        } catch (LookupException e) {
            lookups.record("shell application", e.getMessage());
        } catch (ReflectiveOperationException e) {
            lookups.record("shell application", "Instrumentation.newApplication failed: " + e);
        }
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
