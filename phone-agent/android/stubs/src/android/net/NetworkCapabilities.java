package android.net;

/** Compile-only stub of the public API (see stubs/README.md). */
public final class NetworkCapabilities {
    public static final int TRANSPORT_CELLULAR = 0;
    public static final int TRANSPORT_WIFI = 1;
    public static final int TRANSPORT_ETHERNET = 3;

    private NetworkCapabilities() { throw new RuntimeException("Stub!"); }

    public boolean hasTransport(int transportType) { throw new RuntimeException("Stub!"); }
}
