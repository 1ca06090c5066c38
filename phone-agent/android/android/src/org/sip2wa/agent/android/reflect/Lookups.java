package org.sip2wa.agent.android.reflect;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every reflective lookup the glue makes goes through here, so each one is recorded by name with its
 * result ("ok", or why not) for `--probe`, and a failure is thrown as a {@link LookupException} whose
 * message names the member ("AudioMixingRule$Builder.voiceCommunicationCaptureAllowed(boolean) not
 * found"), never a bare NoSuchMethodException. Hidden APIs differ between Android builds (`addRule` vs
 * `addMixRule`), which is why a list of alternatives can be tried and the one found is recorded.
 *
 * <p>Thread-safe: lookups happen at start on the main thread and later on platform threads.
 */
public final class Lookups {
    public static final String OK = "ok";

    private final Map<String, String> results = new LinkedHashMap<String, String>();

    /** Loads a class by its binary name ("android.media.audiopolicy.AudioMix$Builder"). */
    public Class<?> type(String className) throws LookupException {
        try {
            Class<?> c = Class.forName(className);
            record(className, OK);
            return c;
        } catch (ClassNotFoundException e) {
            throw fail(className, "not found", e);
        } catch (LinkageError e) {
            throw fail(className, "not loadable: " + e, e);
        }
    }

    /** A public or declared method with exactly these parameter types, made accessible. */
    public Method method(Class<?> owner, String name, Class<?>... params) throws LookupException {
        String label = label(owner, name, params);
        Method m = findMethod(owner, name, params);
        if (m == null) throw fail(label, "not found", null);
        record(label, OK);
        return m;
    }

    /**
     * The first of several method names that exists with these parameters (builds rename hidden methods);
     * the record says which one was found, and the failure names every alternative tried.
     */
    public Method firstMethod(Class<?> owner, String[] names, Class<?>... params) throws LookupException {
        StringBuilder tried = new StringBuilder();
        for (String name : names) {
            Method m = findMethod(owner, name, params);
            if (m != null) {
                record(label(owner, names[0], params), OK + " (" + name + ")");
                return m;
            }
            if (tried.length() > 0) tried.append(" / ");
            tried.append(label(owner, name, params));
        }
        throw fail(tried.toString(), "not found", null);
    }

    /**
     * A method known only by its name and parameter count, for hidden signatures that changed between
     * versions (IActivityManager.getContentProviderExternal gained a parameter). Records the signature found.
     */
    public Method methodByArity(Class<?> owner, String name, int arity) throws LookupException {
        String label = simpleName(owner) + "." + name + "/" + arity;
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterTypes().length == arity) {
                    try {
                        m.setAccessible(true);
                    } catch (RuntimeException e) {
                        throw fail(label, "not accessible: " + e.getMessage(), e);
                    }
                    record(label, OK + " " + label(owner, name, m.getParameterTypes()));
                    return m;
                }
            }
        }
        for (Method m : owner.getMethods()) {
            if (m.getName().equals(name) && m.getParameterTypes().length == arity) {
                record(label, OK + " " + label(owner, name, m.getParameterTypes()));
                return m;
            }
        }
        throw fail(label, "not found", null);
    }

    public Constructor<?> constructor(Class<?> owner, Class<?>... params) throws LookupException {
        String label = label(owner, "<init>", params);
        try {
            Constructor<?> c = owner.getDeclaredConstructor(params);
            c.setAccessible(true);
            record(label, OK);
            return c;
        } catch (NoSuchMethodException e) {
            throw fail(label, "not found", e);
        } catch (RuntimeException e) {
            throw fail(label, "not accessible: " + e.getMessage(), e);
        }
    }

    /** A declared field of the class or of one of its superclasses, made accessible. */
    public Field field(Class<?> owner, String name) throws LookupException {
        String label = simpleName(owner) + "." + name;
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                record(label, OK);
                return f;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (RuntimeException e) {
                // SecurityException, or a runtime that refuses to open the member
                throw fail(label, "not accessible: " + e.getMessage(), e);
            }
        }
        throw fail(label, "not found", null);
    }

    /** Invokes and unwraps: a failure inside the framework is reported with the member's name and cause. */
    public Object invoke(Method m, Object target, Object... args) throws LookupException {
        String label = label(m.getDeclaringClass(), m.getName(), m.getParameterTypes());
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw fail(label, "failed: " + cause, cause);
        } catch (IllegalAccessException e) {
            throw fail(label, "not accessible: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw fail(label, "called wrongly: " + e.getMessage(), e);
        }
    }

    public Object construct(Constructor<?> c, Object... args) throws LookupException {
        String label = label(c.getDeclaringClass(), "<init>", c.getParameterTypes());
        try {
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw fail(label, "failed: " + cause, cause);
        } catch (InstantiationException e) {
            throw fail(label, "failed: " + e, e);
        } catch (IllegalAccessException e) {
            throw fail(label, "not accessible: " + e.getMessage(), e);
        }
    }

    public Object get(Field f, Object target) throws LookupException {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw fail(simpleName(f.getDeclaringClass()) + "." + f.getName(), "not accessible", e);
        }
    }

    public void set(Field f, Object target, Object value) throws LookupException {
        try {
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw fail(simpleName(f.getDeclaringClass()) + "." + f.getName(), "not writable", e);
        } catch (IllegalArgumentException e) {
            throw fail(simpleName(f.getDeclaringClass()) + "." + f.getName(), "wrong type: " + e.getMessage(), e);
        }
    }

    /** Records a result that is not a lookup (a registration, a connect) under its own name. */
    public synchronized void record(String name, String result) {
        results.put(name, result);
    }

    /** Every lookup so far, in the order made: name -> "ok" / "ok (alternative)" / "not found" / "failed: ...". */
    public synchronized Map<String, String> results() {
        return new LinkedHashMap<String, String>(results);
    }

    private LookupException fail(String label, String why, Throwable cause) {
        record(label, why);
        return new LookupException(label + " " + why, cause);
    }

    private static Method findMethod(Class<?> owner, String name, Class<?>[] params) {
        try {
            return owner.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            // hidden members are often not public: look among the declared ones up the hierarchy
        } catch (SecurityException e) {
            return null;
        }
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name, params);
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException e) {
                // next superclass
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** "AudioMixingRule$Builder.addMixRule(int, Object)": the form AOSP readers recognise. */
    static String label(Class<?> owner, String name, Class<?>[] params) {
        StringBuilder b = new StringBuilder(simpleName(owner)).append('.').append(name).append('(');
        for (int i = 0; i < params.length; i++) {
            if (i > 0) b.append(", ");
            b.append(simpleName(params[i]));
        }
        return b.append(')').toString();
    }

    /** The binary name without its package: nested classes keep their "Outer$Inner" form. */
    static String simpleName(Class<?> c) {
        if (c.isArray()) return simpleName(c.getComponentType()) + "[]";
        String n = c.getName();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(dot + 1);
    }
}
