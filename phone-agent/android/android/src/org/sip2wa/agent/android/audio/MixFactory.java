package org.sip2wa.agent.android.audio;

import android.media.AudioAttributes;
import android.media.AudioFormat;

import java.lang.reflect.Method;

import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;

/**
 * The two dynamic audio-policy mixes (hidden android.media.audiopolicy API, AGENT.md "Audio routes"):
 * <ul>
 * <li>downlink: a player mix on USAGE_VOICE_COMMUNICATION, looped back so the agent reads what WhatsApp
 * plays; voiceCommunicationCaptureAllowed(true) must be set before build() or AudioPolicyService refuses
 * to capture a voice call's playback;</li>
 * <li>uplink: an injector mix matched on the capture presets WhatsApp may open its recorder with, so the
 * agent's track becomes WhatsApp's microphone.</li>
 * </ul>
 * Both at 16 kHz mono PCM 16-bit, the protocol's format and the cap on privileged capture. The formats use
 * an output channel mask: the framework derives the sink record's input mask from it.
 */
final class MixFactory {
    static final int SAMPLE_RATE = 16000;
    static final int MIX_ROLE_PLAYERS = 0;
    static final int MIX_ROLE_INJECTOR = 1;
    static final int RULE_MATCH_ATTRIBUTE_USAGE = 1;
    static final int RULE_MATCH_ATTRIBUTE_CAPTURE_PRESET = 2;
    static final int ROUTE_FLAG_LOOP_BACK = 2;
    /** VOICE_COMMUNICATION, MIC, VOICE_RECOGNITION, CAMCORDER, UNPROCESSED (MediaRecorder.AudioSource). */
    static final int[] CAPTURE_PRESETS = {7, 1, 6, 5, 9};

    private static final String RULE = "android.media.audiopolicy.AudioMixingRule$Builder";
    private static final String MIX = "android.media.audiopolicy.AudioMix$Builder";

    private final Lookups lookups;

    MixFactory(Lookups lookups) {
        this.lookups = lookups;
    }

    /** The downlink player mix; without the voice flag it is Android 13's plain loop-back variant. */
    Object playerMix(boolean voiceCaptureAllowed) throws LookupException {
        Class<?> builderClass = lookups.type(RULE);
        Object rule = lookups.construct(lookups.constructor(builderClass));
        rule = role(builderClass, rule, MIX_ROLE_PLAYERS);
        AudioAttributes voice = new AudioAttributes.Builder().setUsage(AudioAttributes.USAGE_VOICE_COMMUNICATION).build();
        rule = addRule(builderClass, rule, RULE_MATCH_ATTRIBUTE_USAGE, voice);
        if (voiceCaptureAllowed) {
            Method allow = lookups.method(builderClass, "voiceCommunicationCaptureAllowed", boolean.class);
            rule = lookups.invoke(allow, rule, Boolean.TRUE);
        }
        return mix(builderClass, rule);
    }

    /** The uplink injector mix, one capture-preset rule per preset. */
    Object injectorMix() throws LookupException {
        Class<?> builderClass = lookups.type(RULE);
        Object rule = lookups.construct(lookups.constructor(builderClass));
        rule = role(builderClass, rule, MIX_ROLE_INJECTOR);
        Method setPreset = lookups.firstMethod(AudioAttributes.Builder.class,
                new String[] {"setCapturePreset", "setInternalCapturePreset"}, int.class);
        for (int preset : CAPTURE_PRESETS) {
            AudioAttributes.Builder b = new AudioAttributes.Builder();
            lookups.invoke(setPreset, b, Integer.valueOf(preset));
            rule = addRule(builderClass, rule, RULE_MATCH_ATTRIBUTE_CAPTURE_PRESET, b.build());
        }
        return mix(builderClass, rule);
    }

    static AudioFormat format() {
        return new AudioFormat.Builder().setSampleRate(SAMPLE_RATE).setChannelMask(AudioFormat.CHANNEL_OUT_MONO)
                .setEncoding(AudioFormat.ENCODING_PCM_16BIT).build();
    }

    /**
     * setTargetMixRole came after Android 10; without it the first rule decides the role (a usage rule
     * makes a player mix, a capture-preset rule a recorder mix, the injector), which is what is wanted.
     */
    private Object role(Class<?> builderClass, Object rule, int role) throws LookupException {
        java.lang.reflect.Method m;
        try {
            m = lookups.method(builderClass, "setTargetMixRole", int.class);
        } catch (LookupException olderBuild) {
            return rule;
        }
        return lookups.invoke(m, rule, Integer.valueOf(role));
    }

    /** addMixRule(int, Object) on current builds; addRule(AudioAttributes, int) on some older ones. */
    private Object addRule(Class<?> builderClass, Object rule, int ruleType, AudioAttributes attributes)
            throws LookupException {
        try {
            Method m = lookups.method(builderClass, "addMixRule", int.class, Object.class);
            return lookups.invoke(m, rule, Integer.valueOf(ruleType), attributes);
        } catch (LookupException notThere) {
            Method m = lookups.method(builderClass, "addRule", AudioAttributes.class, int.class);
            return lookups.invoke(m, rule, attributes, Integer.valueOf(ruleType));
        }
    }

    private Object mix(Class<?> ruleBuilderClass, Object ruleBuilder) throws LookupException {
        Object rule = lookups.invoke(lookups.method(ruleBuilderClass, "build"), ruleBuilder);
        Class<?> ruleClass = lookups.type("android.media.audiopolicy.AudioMixingRule");
        Class<?> mixBuilderClass = lookups.type(MIX);
        Object mix = lookups.construct(lookups.constructor(mixBuilderClass, ruleClass), rule);
        mix = lookups.invoke(lookups.method(mixBuilderClass, "setFormat", AudioFormat.class), mix, format());
        mix = lookups.invoke(lookups.method(mixBuilderClass, "setRouteFlags", int.class), mix,
                Integer.valueOf(ROUTE_FLAG_LOOP_BACK));
        return lookups.invoke(lookups.method(mixBuilderClass, "build"), mix);
    }
}
