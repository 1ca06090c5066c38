package org.sip2wa.agent.android.system;

import android.os.IBinder;

import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;

/**
 * Hidden system services: android.os.ServiceManager.getService(name) gives the binder, and the AIDL
 * interface's Stub.asInterface turns it into a proxy whose methods are then found by reflection.
 */
public final class Services {
    private Services() {
    }

    /** The proxy of service `name` for the AIDL interface `interfaceName` ("android.app.IActivityManager"). */
    public static Object get(Lookups lookups, String name, String interfaceName) throws LookupException {
        Class<?> serviceManager = lookups.type("android.os.ServiceManager");
        Object binder = lookups.invoke(lookups.method(serviceManager, "getService", String.class), null, name);
        if (binder == null) throw new LookupException("ServiceManager.getService(\"" + name + "\") returned null", null);
        Class<?> stub = lookups.type(interfaceName + "$Stub");
        Object proxy = lookups.invoke(lookups.method(stub, "asInterface", IBinder.class), null, binder);
        if (proxy == null) throw new LookupException(interfaceName + "$Stub.asInterface returned null", null);
        return proxy;
    }
}
