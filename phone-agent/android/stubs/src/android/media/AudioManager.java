package android.media;

import java.util.List;

/** Compile-only stub of the public API (see stubs/README.md). */
public class AudioManager {
    public static final int MODE_NORMAL = 0;
    public static final int MODE_RINGTONE = 1;
    public static final int MODE_IN_COMMUNICATION = 3;

    private AudioManager() { throw new RuntimeException("Stub!"); }

    public int getMode() { throw new RuntimeException("Stub!"); }

    public List<AudioPlaybackConfiguration> getActivePlaybackConfigurations() { throw new RuntimeException("Stub!"); }

    public List<AudioRecordingConfiguration> getActiveRecordingConfigurations() { throw new RuntimeException("Stub!"); }
}
