package org.sip2wa.agent.android.whatsapp;

import android.media.AudioAttributes;
import android.media.AudioManager;
import android.media.AudioPlaybackConfiguration;
import android.media.AudioRecordingConfiguration;

import java.lang.reflect.Method;
import java.util.List;

import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;

/**
 * Samples {@link CallSignals}: AudioManager's mode, the active players and recorders of WhatsApp's uid,
 * and (when a call seems to be on) the call screen's status text. The client uid of a configuration is a
 * system API (getClientUid); when it cannot be read every configuration counts, which on a gateway phone
 * whose only caller is WhatsApp is the same thing.
 */
final class CallSignalsReader {
    private final AudioManager audio;
    private final int whatsappUid;
    private final UiDriver ui;
    private final Method playbackUid;
    private final Method recordingUid;

    CallSignalsReader(Lookups lookups, AudioManager audio, int whatsappUid, UiDriver ui) {
        this.audio = audio;
        this.whatsappUid = whatsappUid;
        this.ui = ui;
        this.playbackUid = optional(lookups, AudioPlaybackConfiguration.class);
        this.recordingUid = optional(lookups, AudioRecordingConfiguration.class);
    }

    CallSignals read() {
        int mode = audio.getMode();
        boolean ringtone = false;
        boolean signalling = false;
        boolean voice = false;
        List<AudioPlaybackConfiguration> players = audio.getActivePlaybackConfigurations();
        if (players != null) {
            for (AudioPlaybackConfiguration p : players) {
                if (!isWhatsApp(playbackUid, p)) continue;
                AudioAttributes a = p.getAudioAttributes();
                int usage = a == null ? -1 : a.getUsage();
                ringtone |= usage == AudioAttributes.USAGE_NOTIFICATION_RINGTONE;
                signalling |= usage == AudioAttributes.USAGE_VOICE_COMMUNICATION_SIGNALLING;
                voice |= usage == AudioAttributes.USAGE_VOICE_COMMUNICATION;
            }
        }
        boolean recording = false;
        List<AudioRecordingConfiguration> recorders = audio.getActiveRecordingConfigurations();
        if (recorders != null) {
            for (AudioRecordingConfiguration r : recorders) recording |= isWhatsApp(recordingUid, r);
        }
        boolean callLikely = mode != CallSignals.MODE_NORMAL || ringtone || signalling || voice || recording;
        String status = callLikely && ui != null ? ui.statusText() : "";
        return new CallSignals(mode, ringtone, signalling, voice, recording, status);
    }

    private boolean isWhatsApp(Method uidGetter, Object config) {
        // no WhatsApp installed: no stream is a WhatsApp call
        if (whatsappUid < 0) return false;
        if (uidGetter == null) return true;
        try {
            Object uid = uidGetter.invoke(config);
            int u = uid instanceof Integer ? ((Integer) uid).intValue() : -1;
            // callers without MODIFY_AUDIO_ROUTING see -1 for other apps' clients
            return u < 0 || u == whatsappUid;
        } catch (Exception e) {
            return true;
        }
    }

    private static Method optional(Lookups lookups, Class<?> c) {
        try {
            return lookups.method(c, "getClientUid");
        } catch (LookupException e) {
            return null;
        }
    }
}
