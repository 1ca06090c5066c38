package android.os;

/** Compile-only stub of the public API (see stubs/README.md). */
public interface IBinder {
}
