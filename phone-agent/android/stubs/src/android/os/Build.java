package android.os;

/** Compile-only stub of the public API (see stubs/README.md). */
public class Build {
    public static final String MANUFACTURER = null;
    public static final String MODEL = null;
    public static final String FINGERPRINT = null;

    public Build() { throw new RuntimeException("Stub!"); }

    public static class VERSION {
        public static final String RELEASE = null;
        /** Not a compile-time constant, as in android.jar: the phone's value must be read at run time. */
        public static final int SDK_INT = runtime();

        public VERSION() { throw new RuntimeException("Stub!"); }

        private static int runtime() { throw new RuntimeException("Stub!"); }
    }
}
