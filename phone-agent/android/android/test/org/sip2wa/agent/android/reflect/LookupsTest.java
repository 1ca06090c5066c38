package org.sip2wa.agent.android.reflect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Map;

import org.junit.Test;

/** The recorder against JDK classes: what `--probe` shows and what a failure says. */
public class LookupsTest {
    @Test
    public void aMissingMethodIsReportedByItsAospStyleNameAndRecorded() {
        Lookups l = new Lookups();
        try {
            l.method(Map.Entry.class, "voiceCommunicationCaptureAllowed", boolean.class);
            fail("found a method that does not exist");
        } catch (LookupException e) {
            assertEquals("Map$Entry.voiceCommunicationCaptureAllowed(boolean) not found", e.getMessage());
        }
        assertEquals("not found", l.results().get("Map$Entry.voiceCommunicationCaptureAllowed(boolean)"));
    }

    @Test
    public void aFoundMethodIsRecordedOkAndWorks() throws Exception {
        Lookups l = new Lookups();
        Method m = l.method(String.class, "regionMatches", boolean.class, int.class, String.class, int.class, int.class);
        assertEquals(Boolean.TRUE, l.invoke(m, "ABC", Boolean.TRUE, Integer.valueOf(1), "xbc", Integer.valueOf(1), Integer.valueOf(2)));
        assertEquals(Lookups.OK, l.results().get("String.regionMatches(boolean, int, String, int, int)"));
    }

    @Test
    public void theFirstExistingAlternativeIsUsedAndNamedInTheRecord() throws Exception {
        Lookups l = new Lookups();
        Method m = l.firstMethod(StringBuilder.class, new String[] {"addMixRule", "append"}, String.class);
        assertEquals("append", m.getName());
        assertEquals("ok (append)", l.results().get("StringBuilder.addMixRule(String)"));
        try {
            l.firstMethod(StringBuilder.class, new String[] {"addMixRule", "addRule"}, int.class, Object.class);
            fail();
        } catch (LookupException e) {
            assertEquals("StringBuilder.addMixRule(int, Object) / StringBuilder.addRule(int, Object) not found", e.getMessage());
        }
    }

    @Test
    public void aMethodKnownByArityRecordsTheSignatureFound() throws Exception {
        Lookups l = new Lookups();
        Method m = l.methodByArity(String.class, "regionMatches", 4);
        assertEquals(4, m.getParameterTypes().length);
        assertEquals("ok String.regionMatches(int, String, int, int)", l.results().get("String.regionMatches/4"));
    }

    @Test
    public void aFailureInsideTheCalledMemberNamesTheMemberAndTheCause() throws Exception {
        Lookups l = new Lookups();
        Method get = l.method(ArrayList.class, "get", int.class);
        try {
            l.invoke(get, new ArrayList<Object>(), Integer.valueOf(3));
            fail();
        } catch (LookupException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("ArrayList.get(int) failed: java.lang.IndexOutOfBoundsException"));
            assertTrue(e.getCause() instanceof IndexOutOfBoundsException);
        }
    }

    static class Base {
        private boolean mSystemThread;
    }

    static final class Derived extends Base {
    }

    @Test
    public void privateFieldsAreFoundUpTheHierarchyAndSet() throws Exception {
        Lookups l = new Lookups();
        Derived d = new Derived();
        l.set(l.field(Derived.class, "mSystemThread"), d, Boolean.TRUE);
        assertEquals(Boolean.TRUE, l.get(l.field(Derived.class, "mSystemThread"), d));
        assertEquals(Lookups.OK, l.results().get("LookupsTest$Derived.mSystemThread"));
    }

    @Test
    public void aMemberTheRuntimeRefusesToOpenIsReportedNotThrownRaw() {
        Lookups l = new Lookups();
        try {
            // JDK 9+ refuses to open java.base, as Android refuses a blocked hidden member
            l.field(ArrayList.class, "modCount");
            fail();
        } catch (LookupException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("ArrayList.modCount not accessible: "));
        }
    }

    @Test
    public void classesAreLoadedByBinaryName() throws Exception {
        Lookups l = new Lookups();
        assertEquals(Map.Entry.class, l.type("java.util.Map$Entry"));
        try {
            l.type("android.media.audiopolicy.AudioMix$Builder");
            fail();
        } catch (LookupException e) {
            assertEquals("android.media.audiopolicy.AudioMix$Builder not found", e.getMessage());
        }
    }
}
