package android.media;

/** Compile-only stub of the public API (see stubs/README.md). */
public final class AudioRecordingConfiguration {
    private AudioRecordingConfiguration() { throw new RuntimeException("Stub!"); }
}
