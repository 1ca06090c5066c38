package org.sip2wa.agent.android.info;

/**
 * The battery as `dumpsys battery` prints it ("  level: 87", "  AC powered: true",
 * "  temperature: 281" in tenths of a degree), which shell may read on every version without a receiver.
 */
public final class BatteryDump {
    public static final int UNKNOWN = -1;

    public final int level;
    public final boolean charging;
    /** Tenths of a degree Celsius, 0 when unknown. */
    public final int temperatureDeciC;

    private BatteryDump(int level, boolean charging, int temperatureDeciC) {
        this.level = level;
        this.charging = charging;
        this.temperatureDeciC = temperatureDeciC;
    }

    public static BatteryDump parse(String dump) {
        int level = UNKNOWN;
        int scale = 100;
        boolean charging = false;
        int temperature = 0;
        for (String raw : (dump == null ? "" : dump).split("\n")) {
            String line = raw.trim();
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("level")) level = number(value, UNKNOWN);
            else if (key.equals("scale")) scale = number(value, 100);
            else if (key.equals("temperature")) temperature = number(value, 0);
            else if (key.endsWith(" powered") && value.equals("true")) charging = true;
        }
        if (level != UNKNOWN && scale > 0 && scale != 100) level = level * 100 / scale;
        return new BatteryDump(level, charging, temperature);
    }

    private static int number(String s, int otherwise) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
