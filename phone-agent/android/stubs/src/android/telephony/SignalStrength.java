package android.telephony;

/** Compile-only stub of the public API (see stubs/README.md). */
public class SignalStrength {
    private SignalStrength() { throw new RuntimeException("Stub!"); }

    public int getLevel() { throw new RuntimeException("Stub!"); }
}
