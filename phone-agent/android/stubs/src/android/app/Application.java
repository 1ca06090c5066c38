package android.app;

import android.content.ContextWrapper;

/** Compile-only stub of the public API (see stubs/README.md). */
public class Application extends ContextWrapper {
    public Application() {
        super(null);
        throw new RuntimeException("Stub!");
    }
}
