package android.telephony;

/** Compile-only stub of the public API (see stubs/README.md). */
public class TelephonyManager {
    private TelephonyManager() { throw new RuntimeException("Stub!"); }

    public SignalStrength getSignalStrength() { throw new RuntimeException("Stub!"); }
}
