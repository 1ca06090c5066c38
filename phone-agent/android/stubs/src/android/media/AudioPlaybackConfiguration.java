package android.media;

/** Compile-only stub of the public API (see stubs/README.md). */
public final class AudioPlaybackConfiguration {
    private AudioPlaybackConfiguration() { throw new RuntimeException("Stub!"); }

    public AudioAttributes getAudioAttributes() { throw new RuntimeException("Stub!"); }
}
