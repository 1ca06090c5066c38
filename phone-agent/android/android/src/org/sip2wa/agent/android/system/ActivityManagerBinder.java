package org.sip2wa.agent.android.system;

import android.os.IBinder;

import java.lang.reflect.Method;

import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;

/**
 * The hidden IActivityManager, for the one call the public API does not offer a non-app process:
 * getContentProviderExternal(authority, userId, token[, tag]), whose holder's `provider` field is the
 * IContentProvider. The signature gained the tag parameter in Android 10's later builds, so it is found by
 * name and arity.
 */
final class ActivityManagerBinder {
    private static final int USER_SYSTEM = 0;

    private final Lookups lookups;

    ActivityManagerBinder(Lookups lookups) {
        this.lookups = lookups;
    }

    /** The provider binder, or null (the failure is recorded by name for the probe and the log). */
    Object contentProviderExternal(String authority, IBinder token) {
        try {
            Object am = Services.get(lookups, "activity", "android.app.IActivityManager");
            Method m;
            Object holder;
            try {
                m = lookups.methodByArity(am.getClass(), "getContentProviderExternal", 4);
                holder = lookups.invoke(m, am, authority, Integer.valueOf(USER_SYSTEM), token, "sip2wa-agent");
            } catch (LookupException e) {
                m = lookups.methodByArity(am.getClass(), "getContentProviderExternal", 3);
                holder = lookups.invoke(m, am, authority, Integer.valueOf(USER_SYSTEM), token);
            }
            if (holder == null) {
                lookups.record("provider " + authority, "no such provider");
                return null;
            }
            Object provider = lookups.get(lookups.field(holder.getClass(), "provider"), holder);
            lookups.record("provider " + authority, provider == null ? "holder without provider" : Lookups.OK);
            return provider;
        } catch (LookupException e) {
            lookups.record("provider " + authority, e.getMessage());
            return null;
        }
    }
}
