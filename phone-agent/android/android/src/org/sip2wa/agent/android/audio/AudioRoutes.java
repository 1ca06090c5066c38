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
 * pretends to carry audio it cannot. Android 13 is tried again with the plain loop-back downlink when the
 * voice-capture variant is refused (its shell lacks CAPTURE_VOICE_COMMUNICATION_OUTPUT).
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
        RegisteredPolicy down = null;
        RegisteredPolicy up = null;
        AudioRecord record = null;
        AudioTrack track = null;
        String variant = "";
        StringBuilder why = new StringBuilder();
        try {
            down = RegisteredPolicy.register(lookups, context, "downlink", mixes.playerMix(true));
            record = down.recordSink();
            variant = "voice-capture";
        } catch (LookupException e) {
            down = release(down);
            why.append("downlink: ").append(e.getMessage());
            if (sdk == ANDROID_13) {
                try {
                    down = RegisteredPolicy.register(lookups, context, "downlink (plain loop-back)", mixes.playerMix(false));
                    record = down.recordSink();
                    variant = "plain-loop-back";
                    why.setLength(0);
                } catch (LookupException plain) {
                    down = release(down);
                    why.append("; plain loop-back: ").append(plain.getMessage());
                }
            }
        }
        try {
            up = RegisteredPolicy.register(lookups, context, "uplink", mixes.injectorMix());
            track = up.trackSource();
        } catch (LookupException e) {
            up = release(up);
            if (why.length() > 0) why.append("; ");
            why.append("uplink: ").append(e.getMessage());
        }
        if (record == null || track == null) {
            release(down);
            release(up);
            if (record != null) record.release();
            if (track != null) track.release();
            if (uid != 0 && sdk < ANDROID_13) {
                why.append(" (on Android ").append(sdk < 30 ? "10" : sdk < 31 ? "11" : "12")
                        .append(" the shell user may not modify audio routing: Android 13+ or root is needed)");
            }
            lookups.record("audio route", "none: " + why);
            return new AudioRoutes(AudioRoute.NONE, why.toString(), "", null, null, null, null);
        }
        DownlinkReader reader = new DownlinkReader(record, log);
        UplinkFeeder feeder = new UplinkFeeder(track, log);
        reader.start();
        feeder.start();
        AudioRoute route = uid == 0 ? AudioRoute.ROOT : AudioRoute.AUDIO_POLICY;
        lookups.record("audio route", route.wireName() + " (downlink " + variant + ")");
        return new AudioRoutes(route, "", variant, down, up, reader, feeder);
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
