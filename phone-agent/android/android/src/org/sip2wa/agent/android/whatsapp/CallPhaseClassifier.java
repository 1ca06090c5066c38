package org.sip2wa.agent.android.whatsapp;

/**
 * Turns one {@link CallSignals} sample into a {@link CallPhase}. The call screen's status text wins when
 * it is readable (it is what the person at the phone would see); otherwise the audio service decides:
 * a ringtone rings in, signalling tones are ringback, voice plus an open microphone is a call, and
 * communication mode alone is a call being placed.
 */
public final class CallPhaseClassifier {
    private CallPhaseClassifier() {
    }

    public static CallPhase classify(CallSignals s) {
        switch (CallScreen.classify(s.screenStatus)) {
            case TIMER:
                return CallPhase.IN_CALL;
            case RINGING:
                return CallPhase.RINGBACK;
            case CALLING:
                return CallPhase.DIALING;
            default:
                break;
        }
        if (s.ringtonePlaying || s.audioMode == CallSignals.MODE_RINGTONE) return CallPhase.RINGING_IN;
        if (s.audioMode == CallSignals.MODE_IN_COMMUNICATION) {
            if (s.signallingPlaying && !s.voicePlaying) return CallPhase.RINGBACK;
            if (s.voicePlaying && s.recording) return CallPhase.IN_CALL;
            return CallPhase.DIALING;
        }
        if (s.voicePlaying && s.recording) return CallPhase.IN_CALL;
        return CallPhase.IDLE;
    }
}
