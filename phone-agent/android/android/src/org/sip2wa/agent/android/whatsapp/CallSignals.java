package org.sip2wa.agent.android.whatsapp;

/**
 * One sample of what the audio service and the call screen say about WhatsApp's call: the audio mode,
 * which of WhatsApp's players are active by usage, whether its recorder is open, and the call screen's
 * status text ("" when there is no call screen or it could not be read).
 */
public final class CallSignals {
    /** AudioManager modes. */
    public static final int MODE_NORMAL = 0;
    public static final int MODE_RINGTONE = 1;
    public static final int MODE_IN_COMMUNICATION = 3;

    public final int audioMode;
    /** A WhatsApp player with USAGE_NOTIFICATION_RINGTONE: an incoming call rings. */
    public final boolean ringtonePlaying;
    /** USAGE_VOICE_COMMUNICATION_SIGNALLING: ringback or call tones. */
    public final boolean signallingPlaying;
    /** USAGE_VOICE_COMMUNICATION: the far end's voice. */
    public final boolean voicePlaying;
    public final boolean recording;
    public final String screenStatus;

    public CallSignals(int audioMode, boolean ringtonePlaying, boolean signallingPlaying, boolean voicePlaying,
            boolean recording, String screenStatus) {
        this.audioMode = audioMode;
        this.ringtonePlaying = ringtonePlaying;
        this.signallingPlaying = signallingPlaying;
        this.voicePlaying = voicePlaying;
        this.recording = recording;
        this.screenStatus = screenStatus == null ? "" : screenStatus;
    }

    @Override
    public String toString() {
        return "mode " + audioMode + (ringtonePlaying ? " ringtone" : "") + (signallingPlaying ? " signalling" : "")
                + (voicePlaying ? " voice" : "") + (recording ? " mic" : "")
                + (screenStatus.length() > 0 ? " '" + screenStatus + "'" : "");
    }
}
