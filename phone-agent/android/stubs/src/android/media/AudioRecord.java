package android.media;

/** Compile-only stub of the public API (see stubs/README.md). */
public class AudioRecord {
    private AudioRecord() { throw new RuntimeException("Stub!"); }

    public void startRecording() { throw new RuntimeException("Stub!"); }

    public int read(short[] audioData, int offsetInShorts, int sizeInShorts) { throw new RuntimeException("Stub!"); }

    public void stop() { throw new RuntimeException("Stub!"); }

    public void release() { throw new RuntimeException("Stub!"); }
}
