package org.sip2wa.agent.android.system;

import android.content.ContentResolver;
import android.content.Context;
import android.content.IContentProvider;
import android.os.Binder;
import android.os.IBinder;

import java.util.HashMap;
import java.util.Map;

/**
 * A ContentResolver for a process that is not an app: the framework asks it for a provider by authority
 * (the hidden acquireProvider / acquireUnstableProvider callbacks, which the public SDK does not declare,
 * so no @Override), and it answers through IActivityManager.getContentProviderExternal, which shell may
 * call. Providers are kept per authority for the agent's life and released when it closes; query() asks
 * for an unstable provider and insert() for a stable one, so both answer with the same external one.
 */
final class ExternalContentResolver extends ContentResolver {
    private final ActivityManagerBinder activityManager;
    private final IBinder token = new Binder();
    private final Map<String, IContentProvider> providers = new HashMap<String, IContentProvider>();

    ExternalContentResolver(Context context, ActivityManagerBinder activityManager) {
        super(context);
        this.activityManager = activityManager;
    }

    protected IContentProvider acquireProvider(Context context, String authority) {
        return external(authority);
    }

    protected IContentProvider acquireUnstableProvider(Context context, String authority) {
        return external(authority);
    }

    public boolean releaseProvider(IContentProvider provider) {
        return true;
    }

    public boolean releaseUnstableProvider(IContentProvider provider) {
        return true;
    }

    public void unstableProviderDied(IContentProvider provider) {
        synchronized (providers) {
            providers.values().remove(provider);
        }
    }

    public void appNotRespondingViaProvider(IContentProvider provider) {
        // a provider that does not answer is the provider's problem; the caller's timeout reports it
    }

    private IContentProvider external(String authority) {
        synchronized (providers) {
            IContentProvider p = providers.get(authority);
            if (p == null) {
                p = (IContentProvider) activityManager.contentProviderExternal(authority, token);
                if (p != null) providers.put(authority, p);
            }
            return p;
        }
    }
}
