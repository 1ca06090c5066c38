package android.media;

/** Compile-only stub of the public API (see stubs/README.md). */
public final class AudioAttributes {
    public static final int USAGE_VOICE_COMMUNICATION = 2;
    public static final int USAGE_VOICE_COMMUNICATION_SIGNALLING = 3;
    public static final int USAGE_NOTIFICATION_RINGTONE = 6;

    private AudioAttributes() { throw new RuntimeException("Stub!"); }

    public int getUsage() { throw new RuntimeException("Stub!"); }

    public static class Builder {
        public Builder() { throw new RuntimeException("Stub!"); }

        public Builder setUsage(int usage) { throw new RuntimeException("Stub!"); }

        public AudioAttributes build() { throw new RuntimeException("Stub!"); }
    }
}
