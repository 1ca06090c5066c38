package org.sip2wa.agent.android.probe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;

public class ProbeReportTest {
    @Test
    public void aStockAndroid11PhoneReportsRouteNoneWithItsReasonOnOneLine() {
        Map<String, String> registrations = new LinkedHashMap<String, String>();
        registrations.put("downlink", "refused: status -1");
        Map<String, String> lookups = new LinkedHashMap<String, String>();
        lookups.put("AudioMixingRule$Builder.voiceCommunicationCaptureAllowed(boolean)", "not found");
        String line = new ProbeReport("11", 30, "Google", "Pixel 3", 2000)
                .permission("android.permission.MODIFY_AUDIO_ROUTING", false)
                .whatsapp("2.24.25.78", true, "2.24")
                .check("uiAutomation", "ok")
                .audio("none", "downlink: registering the downlink policy was refused (status -1)\n", "", registrations)
                .lookups(lookups)
                .toJsonLine();
        assertFalse(line.contains("\n"));
        assertTrue(line, line.startsWith("{\"probe\":1,\"android\":\"11\",\"sdk\":30,\"manufacturer\":\"Google\",\"model\":\"Pixel 3\",\"uid\":2000,\"root\":false,"));
        assertTrue(line, line.contains("\"permissions\":{\"android.permission.MODIFY_AUDIO_ROUTING\":false}"));
        assertTrue(line, line.contains("\"whatsapp\":{\"installed\":true,\"version\":\"2.24.25.78\",\"readContacts\":true,\"selectorTable\":\"2.24\"}"));
        assertTrue(line, line.contains("\"audio\":{\"route\":\"none\",\"reason\":\"downlink: registering the downlink policy was refused (status -1)\\n\",\"downlink\":\"\",\"policies\":{\"downlink\":\"refused: status -1\"}}"));
        assertTrue(line, line.endsWith("\"lookups\":{\"AudioMixingRule$Builder.voiceCommunicationCaptureAllowed(boolean)\":\"not found\"}}"));
    }

    @Test
    public void uidZeroIsReportedAsRoot() {
        assertTrue(new ProbeReport("14", 34, "x", "y", 0).toJsonLine().contains("\"uid\":0,\"root\":true"));
        assertEquals(1, ProbeReport.FORMAT);
    }
}
