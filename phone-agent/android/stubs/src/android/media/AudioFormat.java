package android.media;

/** Compile-only stub of the public API (see stubs/README.md). */
public final class AudioFormat {
    public static final int ENCODING_PCM_16BIT = 2;
    public static final int CHANNEL_OUT_MONO = 4;

    private AudioFormat() { throw new RuntimeException("Stub!"); }

    public static class Builder {
        public Builder() { throw new RuntimeException("Stub!"); }

        public Builder setSampleRate(int sampleRate) { throw new RuntimeException("Stub!"); }

        public Builder setChannelMask(int channelMask) { throw new RuntimeException("Stub!"); }

        public Builder setEncoding(int encoding) { throw new RuntimeException("Stub!"); }

        public AudioFormat build() { throw new RuntimeException("Stub!"); }
    }
}
