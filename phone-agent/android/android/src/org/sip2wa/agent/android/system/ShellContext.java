package org.sip2wa.agent.android.system;

import android.content.AttributionSource;
import android.content.ContentResolver;
import android.content.Context;
import android.content.ContextWrapper;
import android.os.Process;

import org.sip2wa.agent.android.reflect.Lookups;

/**
 * A Context that presents the agent as package `com.android.shell` (the package of uid 2000, whose
 * permissions the agent uses), with an AttributionSource for its own uid on Android 12+, and a content
 * resolver that reaches providers through the activity manager (an app_process server has no
 * ActivityThread-bound providers). Under root the uid is 0, which passes the framework's checks.
 */
public final class ShellContext extends ContextWrapper {
    public static final String SHELL_PACKAGE = "com.android.shell";
    private final ContentResolver resolver;

    public ShellContext(Context systemContext, Lookups lookups) {
        super(systemContext);
        this.resolver = new ExternalContentResolver(this, new ActivityManagerBinder(lookups));
    }

    @Override
    public String getPackageName() {
        return SHELL_PACKAGE;
    }

    @Override
    public String getOpPackageName() {
        return SHELL_PACKAGE;
    }

    /**
     * Declared by Context from Android 12 and called by the framework there only, so AttributionSource
     * (API 31) is never resolved on 10-11.
     */
    @Override
    public AttributionSource getAttributionSource() {
        return new AttributionSource.Builder(Process.myUid()).setPackageName(SHELL_PACKAGE).build();
    }

    @Override
    public Context getApplicationContext() {
        return this;
    }

    @Override
    public ContentResolver getContentResolver() {
        return resolver;
    }
}
