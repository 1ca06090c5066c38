package org.sip2wa.agent.android.probe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;

public class JsonTest {
    @Test
    public void anExceptionMessageWithNewlinesQuotesAndControlsStaysOnOneLine() {
        String s = Json.write("line 1\nline \"2\"\t\\ \u0001 \u2028");
        assertEquals("\"line 1\\nline \\\"2\\\"\\t\\\\ \\u0001 \\u2028\"", s);
        assertFalse(s.contains("\n"));
    }

    @Test
    public void mapsKeepTheirOrderAndNest() {
        Map<String, Object> inner = new LinkedHashMap<String, Object>();
        inner.put("z", Boolean.TRUE);
        inner.put("a", null);
        Map<String, Object> outer = new LinkedHashMap<String, Object>();
        outer.put("sdk", Integer.valueOf(34));
        outer.put("inner", inner);
        outer.put("list", Arrays.asList("x", Integer.valueOf(2)));
        outer.put("nan", Double.valueOf(Double.NaN));
        assertEquals("{\"sdk\":34,\"inner\":{\"z\":true,\"a\":null},\"list\":[\"x\",2],\"nan\":null}", Json.write(outer));
    }
}
