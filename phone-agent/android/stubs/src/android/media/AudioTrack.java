package android.media;

/** Compile-only stub of the public API (see stubs/README.md). */
public class AudioTrack {
    private AudioTrack() { throw new RuntimeException("Stub!"); }

    public void play() { throw new RuntimeException("Stub!"); }

    public int write(short[] audioData, int offsetInShorts, int sizeInShorts) { throw new RuntimeException("Stub!"); }

    public void stop() { throw new RuntimeException("Stub!"); }

    public void release() { throw new RuntimeException("Stub!"); }
}
