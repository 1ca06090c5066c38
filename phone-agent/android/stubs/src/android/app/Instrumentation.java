package android.app;

import android.content.Context;

/** Compile-only stub of the public API (see stubs/README.md). */
public class Instrumentation {
    public Instrumentation() { throw new RuntimeException("Stub!"); }

    public static Application newApplication(Class<?> clazz, Context context)
            throws InstantiationException, IllegalAccessException, ClassNotFoundException { throw new RuntimeException("Stub!"); }
}
