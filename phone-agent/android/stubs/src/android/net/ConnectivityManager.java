package android.net;

/** Compile-only stub of the public API (see stubs/README.md). */
public class ConnectivityManager {
    private ConnectivityManager() { throw new RuntimeException("Stub!"); }

    public Network getActiveNetwork() { throw new RuntimeException("Stub!"); }

    public NetworkCapabilities getNetworkCapabilities(Network network) { throw new RuntimeException("Stub!"); }
}
