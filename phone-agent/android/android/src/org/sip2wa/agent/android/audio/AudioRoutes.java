package org.sip2wa.agent.android.audio;

import android.content.Context;
import android.media.AudioRecord;
import android.media.AudioTrack;

import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;
import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.AudioDevice;
import org.sip2wa.agent.protocol.AudioRoute;

/**
 * Decides the phone's audio route once, at start, by trying it: both policies are registered and their
 * record and track created. Both directions working gives `audio-policy` (`root` when running as uid 0);
 * anything less gives `none` with the reason, and whatever was registered is released, so a line never
 * pretends to carry audio it cannot. The downlink is tried again as a plain loop-back mix when the
 * voice-capture variant is refused or missing (Android 13's shell lacks CAPTURE_VOICE_COMMUNICATION_OUTPUT;
 * Android 10 has no voiceCommunicationCaptureAllowed).
 */
public final class AudioRoutes {
    private static final int ANDROID_13 = 33;

    public final AudioRoute route;
    /** Why the route is what it is, for the log, the probe and the station ("" when both directions work). */
    public final String reason;
    /** The downlink variant in use: "voice-capture", "plain-loop-back" or "" when none. */
    public final String downlinkVariant;
    public final AudioDevice device;

    private final RegisteredPolicy downlinkPolicy;
    private final RegisteredPolicy uplinkPolicy;
    private final DownlinkReader reader;
    private final UplinkFeeder feeder;

    private AudioRoutes(AudioRoute route, String reason, String variant, RegisteredPolicy down, RegisteredPolicy up,
            DownlinkReader reader, UplinkFeeder feeder) {
        this.route = route;
        this.reason = reason;
        this.downlinkVariant = variant;
        this.downlinkPolicy = down;
        this.uplinkPolicy = up;
        this.reader = reader;
        this.feeder = feeder;
        this.device = reader != null ? new PolicyAudioDevice(reader, feeder) : new SilentAudioDevice();
    }

    public static AudioRoutes open(Lookups lookups, Context context, AgentLog log, int sdk, int uid) {
        MixFactory mixes = new MixFactory(lookups);
        StringBuilder why = new StringBuilder();
        Opened<AudioRecord> down = openDownlink(lookups, context, mixes, true, why);
        if (down == null) down = openDownlink(lookups, context, mixes, false, why);
        Opened<AudioTrack> up = null;
        try {
            up = openUplink(lookups, context, mixes);
        } catch (LookupException e) {
            if (why.length() > 0) why.append("; ");
            why.append("uplink: ").append(e.getMessage());
        }
        if (down == null || up == null) {
            if (down != null) down.release();
            if (up != null) up.release();
            if (uid != 0 && sdk < ANDROID_13) {
                why.append(" (on Android ").append(sdk < 30 ? "10" : sdk < 31 ? "11" : "12")
                        .append(" the shell user may not modify audio routing: Android 13+ or root is needed)");
            }
            lookups.record("audio route", "none: " + why);
            return new AudioRoutes(AudioRoute.NONE, why.toString(), "", null, null, null, null);
        }
        String variant = down.voiceCapture ? "voice-capture" : "plain-loop-back";
        DownlinkReader reader = new DownlinkReader(down.io, log);
        UplinkFeeder feeder = new UplinkFeeder(up.io, log);
        reader.start();
        feeder.start();
        AudioRoute route = uid == 0 ? AudioRoute.ROOT : AudioRoute.AUDIO_POLICY;
        lookups.record("audio route", route.wireName() + " (downlink " + variant + ")");
        return new AudioRoutes(route, "", variant, down.policy, up.policy, reader, feeder);
    }

    /** A registered policy and the record or track created from it. */
    private static final class Opened<T> {
        final RegisteredPolicy policy;
        final T io;
        final boolean voiceCapture;

        Opened(RegisteredPolicy policy, T io, boolean voiceCapture) {
            this.policy = policy;
            this.io = io;
            this.voiceCapture = voiceCapture;
        }

        void release() {
            policy.unregister();
            if (io instanceof AudioRecord) ((AudioRecord) io).release();
            if (io instanceof AudioTrack) ((AudioTrack) io).release();
        }
    }

    /** The downlink's policy and record, or null with the reason appended to `why`. */
    private static Opened<AudioRecord> openDownlink(Lookups lookups, Context context, MixFactory mixes,
            boolean voiceCapture, StringBuilder why) {
        String name = voiceCapture ? "downlink" : "downlink (plain loop-back)";
        RegisteredPolicy policy = null;
        try {
            policy = RegisteredPolicy.register(lookups, context, name, mixes.playerMix(voiceCapture));
            Opened<AudioRecord> opened = new Opened<AudioRecord>(policy, policy.recordSink(), voiceCapture);
            why.setLength(0);
            return opened;
        } catch (LookupException e) {
            release(policy);
            if (why.length() > 0) why.append("; ");
            why.append(name).append(": ").append(e.getMessage());
            return null;
        }
    }

    private static Opened<AudioTrack> openUplink(Lookups lookups, Context context, MixFactory mixes) throws LookupException {
        RegisteredPolicy policy = RegisteredPolicy.register(lookups, context, "uplink", mixes.injectorMix());
        try {
            return new Opened<AudioTrack>(policy, policy.trackSource(), false);
        } catch (LookupException e) {
            policy.unregister();
            throw e;
        }
    }

    private static RegisteredPolicy release(RegisteredPolicy p) {
        if (p != null) p.unregister();
        return null;
    }

    /** Stops the threads and unregisters both policies, so WhatsApp's audio returns to the phone. */
    public void close() {
        if (reader != null) reader.close();
        if (feeder != null) feeder.close();
        release(downlinkPolicy);
        release(uplinkPolicy);
    }
}
