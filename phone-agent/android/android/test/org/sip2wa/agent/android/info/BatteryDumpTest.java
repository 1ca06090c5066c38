package org.sip2wa.agent.android.info;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class BatteryDumpTest {
    @Test
    public void levelChargingAndTemperatureAreReadFromDumpsysBattery() {
        BatteryDump b = BatteryDump.parse("Current Battery Service state:\n  AC powered: false\n  USB powered: true\n"
                + "  Wireless powered: false\n  status: 2\n  health: 2\n  present: true\n  level: 87\n  scale: 100\n"
                + "  voltage: 4227\n  temperature: 281\n  technology: Li-ion\n");
        assertEquals(87, b.level);
        assertTrue(b.charging);
        assertEquals(281, b.temperatureDeciC);
    }

    @Test
    public void anotherScaleIsConvertedAndNothingReadableIsUnknown() {
        assertEquals(50, BatteryDump.parse("  level: 25\n  scale: 50\n").level);
        BatteryDump none = BatteryDump.parse("Can't find service: battery\n");
        assertEquals(BatteryDump.UNKNOWN, none.level);
        assertFalse(none.charging);
    }
}
