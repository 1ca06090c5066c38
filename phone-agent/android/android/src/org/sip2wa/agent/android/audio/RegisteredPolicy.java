package org.sip2wa.agent.android.audio;

import android.content.Context;
import android.media.AudioManager;
import android.media.AudioRecord;
import android.media.AudioTrack;

import java.lang.reflect.Method;

import org.sip2wa.agent.android.reflect.LookupException;
import org.sip2wa.agent.android.reflect.Lookups;

/**
 * One audio policy holding one mix, registered with the audio service and kept until the agent stops:
 * the service decides where WhatsApp's player and recorder go when WhatsApp opens them, at each call, so
 * the policy must already be there. Registration needs MODIFY_AUDIO_ROUTING (shell from Android 13, or
 * root); the service answers 0 on success.
 */
final class RegisteredPolicy {
    private static final String POLICY = "android.media.audiopolicy.AudioPolicy";

    private final Lookups lookups;
    private final AudioManager audioManager;
    private final Object policy;
    private final Object mix;

    private RegisteredPolicy(Lookups lookups, AudioManager audioManager, Object policy, Object mix) {
        this.lookups = lookups;
        this.audioManager = audioManager;
        this.policy = policy;
        this.mix = mix;
    }

    /** Builds the policy around the mix and registers it; `name` labels the result in the probe. */
    static RegisteredPolicy register(Lookups lookups, Context context, String name, Object mix) throws LookupException {
        Class<?> builderClass = lookups.type(POLICY + "$Builder");
        Class<?> mixClass = lookups.type("android.media.audiopolicy.AudioMix");
        Class<?> policyClass = lookups.type(POLICY);
        Object builder = lookups.construct(lookups.constructor(builderClass, Context.class), context);
        lookups.invoke(lookups.method(builderClass, "addMix", mixClass), builder, mix);
        Object policy = lookups.invoke(lookups.method(builderClass, "build"), builder);
        AudioManager am = (AudioManager) context.getSystemService(Context.AUDIO_SERVICE);
        Object status;
        try {
            status = lookups.invoke(lookups.method(AudioManager.class, "registerAudioPolicy", policyClass), am, policy);
        } catch (LookupException instanceMissing) {
            status = lookups.invoke(lookups.method(AudioManager.class, "registerAudioPolicyStatic", policyClass), null, policy);
        }
        int code = status instanceof Integer ? ((Integer) status).intValue() : -1;
        if (code != 0) {
            lookups.record("register " + name, "refused: status " + status);
            throw new LookupException("registering the " + name + " policy was refused (status " + status + ")", null);
        }
        lookups.record("register " + name, Lookups.OK);
        return new RegisteredPolicy(lookups, am, policy, mix);
    }

    /** The record that reads a player mix (downlink). */
    AudioRecord recordSink() throws LookupException {
        Method m = lookups.method(policy.getClass(), "createAudioRecordSink", mix.getClass());
        Object record = lookups.invoke(m, policy, mix);
        if (!(record instanceof AudioRecord)) throw new LookupException("AudioPolicy.createAudioRecordSink returned " + record, null);
        return (AudioRecord) record;
    }

    /** The track that feeds an injector mix (uplink). */
    AudioTrack trackSource() throws LookupException {
        Method m = lookups.method(policy.getClass(), "createAudioTrackSource", mix.getClass());
        Object track = lookups.invoke(m, policy, mix);
        if (!(track instanceof AudioTrack)) throw new LookupException("AudioPolicy.createAudioTrackSource returned " + track, null);
        return (AudioTrack) track;
    }

    void unregister() {
        try {
            Class<?> policyClass = lookups.type(POLICY);
            lookups.invoke(lookups.method(AudioManager.class, "unregisterAudioPolicy", policyClass), audioManager, policy);
        } catch (LookupException e) {
            // the audio service drops a dead process's policies anyway (its binder dies with it)
        }
    }
}
