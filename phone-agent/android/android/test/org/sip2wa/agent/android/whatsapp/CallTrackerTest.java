package org.sip2wa.agent.android.whatsapp;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.WhatsAppListener;
import org.sip2wa.agent.protocol.AccountState;
import org.sip2wa.agent.protocol.CallOutcome;

/**
 * The call tracker fed with sequences of audio-service and call-screen samples as WhatsApp's calls
 * produce them, on a virtual clock (250 ms per sample, as on a phone): the events the station would see.
 */
public class CallTrackerTest {
    private static final int ID = 7;
    private static final int INCOMING_ID = 0x80000001;

    private final List<String> events = new ArrayList<String>();
    private int nextIncoming = INCOMING_ID;
    private final WhatsAppListener listener = new WhatsAppListener() {
        @Override
        public void dialing(int callId, String number) {
            events.add("dialing " + callId);
        }

        @Override
        public void ringing(int callId) {
            events.add("ringing " + Integer.toHexString(callId));
        }

        @Override
        public void connected(int callId) {
            events.add("connected " + Integer.toHexString(callId));
        }

        @Override
        public void ended(int callId, CallOutcome outcome) {
            events.add("ended " + Integer.toHexString(callId) + " " + outcome.wireName());
        }

        @Override
        public int incoming(String number, String name) {
            events.add("incoming " + number + " '" + name + "'");
            return nextIncoming;
        }

        @Override
        public void messageReceived(String from, String name, String text, long timeMs) {
        }

        @Override
        public void messageSent(long messageId, boolean ok, String error) {
        }

        @Override
        public void accountStateChanged(AccountState state) {
            events.add("account " + state.wireName());
        }
    };
    private final AgentLog log = new AgentLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void error(String message, Throwable cause) {
        }
    };
    private final CallTracker tracker = new CallTracker(listener, new CallTracker.CallerSource() {
        @Override
        public String[] caller() {
            return new String[] {"15550100001", "Alice"};
        }
    }, log);
    private long now = 1000;

    private static final CallSignals IDLE = new CallSignals(CallSignals.MODE_NORMAL, false, false, false, false, "");
    private static final CallSignals CALLING = new CallSignals(CallSignals.MODE_IN_COMMUNICATION, false, false, false, true, "Calling");
    private static final CallSignals RINGBACK = new CallSignals(CallSignals.MODE_IN_COMMUNICATION, false, true, false, true, "Ringing");
    private static final CallSignals TALKING = new CallSignals(CallSignals.MODE_IN_COMMUNICATION, false, false, true, true, "0:03");
    private static final CallSignals RINGTONE = new CallSignals(CallSignals.MODE_RINGTONE, true, false, false, false, "");

    private void run(CallSignals s, long millis) {
        for (long end = now + millis; now < end; now += 250) tracker.step(s, now);
    }

    @Test
    public void anAnsweredCallThatTheFarEndEndsIsRingingConnectedThenRemoteHangupOnce() {
        tracker.outboundStarted(ID, now);
        run(CALLING, 2000);
        run(RINGBACK, 5000);
        run(TALKING, 10000);
        run(IDLE, 5000);
        assertEquals("[ringing 7, connected 7, ended 7 remote-hangup]", events.toString());
        assertEquals(0, tracker.current());
    }

    @Test
    public void aShortFlickerToIdleDuringTheCallDoesNotEndIt() {
        tracker.outboundStarted(ID, now);
        run(TALKING, 2000);
        run(IDLE, 1000);
        run(TALKING, 2000);
        assertEquals("[connected 7]", events.toString());
        run(IDLE, 2000);
        assertEquals("[connected 7, ended 7 remote-hangup]", events.toString());
    }

    @Test
    public void aCalleeThatNeverRingsIsOfflineAfterWhatsAppGivesUp() {
        tracker.outboundStarted(ID, now);
        run(CALLING, 18000);
        run(IDLE, 2000);
        assertEquals("[ended 7 offline]", events.toString());
    }

    @Test
    public void theCallScreenSayingOnAnotherCallIsBusy() {
        tracker.outboundStarted(ID, now);
        run(CALLING, 1000);
        run(new CallSignals(CallSignals.MODE_IN_COMMUNICATION, false, true, false, true, "On another call"), 2000);
        run(IDLE, 2000);
        assertEquals("[ringing 7, ended 7 busy]", events.toString());
    }

    @Test
    public void ringingThatStopsSoonIsRejectedAndRingingForLongIsNoAnswer() {
        tracker.outboundStarted(ID, now);
        run(RINGBACK, 8000);
        run(IDLE, 2000);
        tracker.outboundStarted(8, now);
        run(RINGBACK, 45000);
        run(IDLE, 2000);
        assertEquals("[ringing 7, ended 7 rejected, ringing 8, ended 8 no-answer]", events.toString());
    }

    @Test
    public void hangingUpHereIsLocalHangupAndAPhoneThatIgnoresItEndsInError() {
        tracker.outboundStarted(ID, now);
        run(TALKING, 2000);
        tracker.hangUpRequested(ID, now);
        run(IDLE, 2000);
        tracker.outboundStarted(8, now);
        run(TALKING, 2000);
        tracker.hangUpRequested(8, now);
        run(TALKING, 11000);
        assertEquals("[connected 7, ended 7 local-hangup, connected 8, ended 8 error]", events.toString());
    }

    @Test
    public void aCallIntentThatWhatsAppNeverActsOnEndsInError() {
        tracker.outboundStarted(ID, now);
        run(IDLE, 14000);
        assertEquals("[]", events.toString());
        run(IDLE, 2000);
        assertEquals("[ended 7 error]", events.toString());
    }

    @Test
    public void anIncomingCallIsAnnouncedOnceWithItsCallerAnsweredAndEnded() {
        run(IDLE, 1000);
        run(RINGTONE, 3000);
        assertEquals("[incoming 15550100001 'Alice']", events.toString());
        assertEquals(true, tracker.ringingIncoming(INCOMING_ID));
        run(TALKING, 3000);
        assertEquals(false, tracker.ringingIncoming(INCOMING_ID));
        run(IDLE, 2000);
        assertEquals("[incoming 15550100001 'Alice', connected 80000001, ended 80000001 remote-hangup]", events.toString());
    }

    @Test
    public void anIncomingCallDeclinedHereIsRejected() {
        run(RINGTONE, 1000);
        tracker.declineRequested(INCOMING_ID, now);
        run(IDLE, 2000);
        assertEquals("[incoming 15550100001 'Alice', ended 80000001 rejected]", events.toString());
    }

    @Test
    public void anIncomingCallTheAgentRefusedIsNotAnnouncedAgainUntilThePhoneIsIdle() {
        nextIncoming = 0;
        run(RINGTONE, 3000);
        run(IDLE, 500);
        nextIncoming = INCOMING_ID;
        run(RINGTONE, 500);
        assertEquals("[incoming 15550100001 'Alice', incoming 15550100001 'Alice']", events.toString());
        assertEquals(INCOMING_ID, tracker.current());
    }
}
