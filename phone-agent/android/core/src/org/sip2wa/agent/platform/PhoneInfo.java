package org.sip2wa.agent.platform;

import org.sip2wa.agent.protocol.NetworkType;

/**
 * The phone's half of the `info` message (PROTOCOL.md, message 0x42); the core adds its software string
 * and the platform's audio route. Levels the platform cannot read are {@link #UNKNOWN_LEVEL}.
 */
public final class PhoneInfo {
    /** `batteryLevel` and `signalLevel` when unknown. */
    public static final int UNKNOWN_LEVEL = 255;

    /** The phone's own WhatsApp number, "" when it cannot be read (without root it usually cannot). */
    public final String account;
    public final String whatsappVersion;
    public final String androidVersion;
    public final int sdk;
    public final String manufacturer;
    public final String model;
    /** 0-100, or UNKNOWN_LEVEL. */
    public final int batteryLevel;
    public final boolean charging;
    /** Battery temperature in tenths of a degree Celsius. */
    public final int temperatureDeciC;
    public final NetworkType networkType;
    /** 0-4 bars, or UNKNOWN_LEVEL. */
    public final int signalLevel;

    public PhoneInfo(String account, String whatsappVersion, String androidVersion, int sdk, String manufacturer,
            String model, int batteryLevel, boolean charging, int temperatureDeciC, NetworkType networkType,
            int signalLevel) {
        this.account = orEmpty(account);
        this.whatsappVersion = orEmpty(whatsappVersion);
        this.androidVersion = orEmpty(androidVersion);
        this.sdk = clamp(sdk, 0, 0xffff);
        this.manufacturer = orEmpty(manufacturer);
        this.model = orEmpty(model);
        this.batteryLevel = level(batteryLevel, 100);
        this.charging = charging;
        this.temperatureDeciC = clamp(temperatureDeciC, Short.MIN_VALUE, Short.MAX_VALUE);
        this.networkType = networkType == null ? NetworkType.UNKNOWN : networkType;
        this.signalLevel = level(signalLevel, 4);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    /** A reading outside its range is reported as unknown rather than as a wrong value. */
    private static int level(int v, int max) {
        return v >= 0 && v <= max ? v : UNKNOWN_LEVEL;
    }
}
