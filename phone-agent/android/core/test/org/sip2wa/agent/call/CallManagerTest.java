package org.sip2wa.agent.call;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Rule;
import org.junit.Test;
import org.sip2wa.agent.protocol.CallOutcome;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.protocol.Protocol;
import org.sip2wa.agent.support.AgentFixture;
import org.sip2wa.agent.support.StationClient;

/** Call ids, states and error codes (PROTOCOL.md, "Calls"), as the station sees them. */
public class CallManagerTest {
    private static final String ECHO = "15550100001";

    @Rule
    public final AgentFixture fixture = new AgentFixture();

    @Test
    public void anOutboundCallGoesDialingRingingConnectedAndEndsExactlyOnce() throws Exception {
        StationClient s = fixture.control();
        s.send(Message.of(MessageType.DIAL, 7L, ECHO));
        Message dialing = s.next(MessageType.CALL_DIALING);
        assertEquals(7L, dialing.getLong("callId"));
        assertEquals(ECHO, dialing.getString("number"));
        assertEquals("dial 7 " + ECHO, fixture.platform.nextCommand());
        fixture.platform.listener().ringing(7);
        assertEquals(7L, s.next(MessageType.CALL_RINGING).getLong("callId"));
        fixture.platform.listener().connected(7);
        assertEquals(7L, s.next(MessageType.CALL_CONNECTED).getLong("callId"));
        fixture.platform.listener().ended(7, CallOutcome.REMOTE_HANGUP);
        fixture.platform.listener().ended(7, CallOutcome.ERROR);
        Message ended = s.next(MessageType.CALL_ENDED);
        assertEquals(CallOutcome.REMOTE_HANGUP, ended.getEnum("outcome"));
        s.send(Message.of(MessageType.PING, 1L));
        s.next(MessageType.PONG);
        for (Message m : s.drain()) assertTrue("a second call-ended: " + m, m.type != MessageType.CALL_ENDED);
    }

    @Test
    public void aSecondDialEndsBusyAtOnceAndTheFirstCallGoesOn() throws Exception {
        StationClient s = fixture.control();
        s.send(Message.of(MessageType.DIAL, 1L, ECHO));
        s.next(MessageType.CALL_DIALING);
        s.send(Message.of(MessageType.DIAL, 2L, "15550100002"));
        Message busy = s.next(MessageType.CALL_ENDED);
        assertEquals(2L, busy.getLong("callId"));
        assertEquals(CallOutcome.BUSY, busy.getEnum("outcome"));
        fixture.platform.listener().connected(1);
        assertEquals(1L, s.next(MessageType.CALL_CONNECTED).getLong("callId"));
    }

    @Test
    public void dialIdsOutsideTheStationRangeOrInUseGetError3() throws Exception {
        StationClient s = fixture.control();
        s.send(Message.of(MessageType.DIAL, 0L, ECHO));
        assertEquals(Protocol.ERROR_BAD_COMMAND, s.next(MessageType.ERROR).getInt("code"));
        s.send(Message.of(MessageType.DIAL, 0x80000001L, ECHO));
        assertEquals(Protocol.ERROR_BAD_COMMAND, s.next(MessageType.ERROR).getInt("code"));
        s.send(Message.of(MessageType.DIAL, 0x7fffffffL, ECHO));
        assertEquals(0x7fffffffL, s.next(MessageType.CALL_DIALING).getLong("callId"));
        s.send(Message.of(MessageType.DIAL, 0x7fffffffL, ECHO));
        Message inUse = s.next(MessageType.ERROR);
        assertEquals(Protocol.ERROR_BAD_COMMAND, inUse.getInt("code"));
        assertTrue(inUse.getString("message"), inUse.getString("message").contains("already in use"));
    }

    @Test
    public void unknownCallIdsGetError2AndAnswerOnAnOutboundCallGetsError3() throws Exception {
        StationClient s = fixture.control();
        s.send(Message.of(MessageType.ANSWER, 99L));
        Message unknown = s.next(MessageType.ERROR);
        assertEquals(Protocol.ERROR_UNKNOWN_CALL, unknown.getInt("code"));
        assertTrue(unknown.getString("message"), unknown.getString("message").contains("99"));
        s.send(Message.of(MessageType.HANG_UP, 0x80000005L));
        assertEquals(Protocol.ERROR_UNKNOWN_CALL, s.next(MessageType.ERROR).getInt("code"));
        s.send(Message.of(MessageType.DIAL, 3L, ECHO));
        s.next(MessageType.CALL_DIALING);
        s.send(Message.of(MessageType.ANSWER, 3L));
        assertEquals(Protocol.ERROR_BAD_COMMAND, s.next(MessageType.ERROR).getInt("code"));
        s.send(Message.of(MessageType.DECLINE, 3L));
        assertEquals(Protocol.ERROR_BAD_COMMAND, s.next(MessageType.ERROR).getInt("code"));
    }

    @Test
    public void incomingCallsGetAgentIdsWithTheTopBitAndCanBeAnsweredOrDeclined() throws Exception {
        StationClient s = fixture.control();
        int first = fixture.platform.listener().incoming("15550100002", "Tone");
        Message ringing = s.next(MessageType.CALL_INCOMING);
        assertEquals(0x80000001L, ringing.getLong("callId"));
        assertEquals(0x80000001, first);
        assertEquals("Tone", ringing.getString("name"));
        s.send(Message.of(MessageType.ANSWER, 0x80000001L));
        assertEquals("answer 80000001", fixture.platform.nextCommand());
        fixture.platform.listener().connected(first);
        s.next(MessageType.CALL_CONNECTED);
        s.send(Message.of(MessageType.ANSWER, 0x80000001L));
        assertEquals("answering a connected call", Protocol.ERROR_BAD_COMMAND, s.next(MessageType.ERROR).getInt("code"));
        int second = fixture.platform.listener().incoming("15550100003", "");
        assertEquals(0x80000002, second);
        s.send(Message.of(MessageType.DECLINE, 0x80000002L));
        assertEquals("capture on", fixture.platform.nextCommand());
        assertEquals("decline 80000002", fixture.platform.nextCommand());
    }

    @Test
    public void hangUpZeroEndsEveryCall() throws Exception {
        StationClient s = fixture.control();
        s.send(Message.of(MessageType.DIAL, 4L, ECHO));
        s.next(MessageType.CALL_DIALING);
        assertEquals("dial 4 " + ECHO, fixture.platform.nextCommand());
        fixture.platform.listener().incoming("15550100002", "Tone");
        s.next(MessageType.CALL_INCOMING);
        s.send(Message.of(MessageType.HANG_UP, 0L));
        assertEquals("hang-up 4", fixture.platform.nextCommand());
        assertEquals("hang-up 80000001", fixture.platform.nextCommand());
    }

    @Test
    public void stoppingTheAgentEndsEachCallForTheStationThenClosesAndReleasesThePlatform() throws Exception {
        StationClient s = fixture.control();
        s.send(Message.of(MessageType.DIAL, 6L, ECHO));
        s.next(MessageType.CALL_DIALING);
        fixture.agent.stop();
        Message ended = s.next(MessageType.CALL_ENDED);
        assertEquals(6L, ended.getLong("callId"));
        assertEquals(CallOutcome.LOCAL_HANGUP, ended.getEnum("outcome"));
        assertTrue(s.closedByAgent());
        assertTrue(fixture.platform.closed);
    }

    @Test
    public void messagesAreSentAndReported() throws Exception {
        StationClient s = fixture.control();
        s.send(Message.of(MessageType.SEND_MESSAGE, 11L, ECHO, "hi"));
        assertEquals("send 11 " + ECHO + " hi", fixture.platform.nextCommand());
        fixture.platform.listener().messageSent(11L, false, "not supported on this phone");
        Message sent = s.next(MessageType.MESSAGE_SENT);
        assertEquals(false, sent.getBool("ok"));
        assertEquals("not supported on this phone", sent.getString("error"));
        fixture.platform.listener().messageReceived(ECHO, "Echo", "hello", 1700000000000L);
        assertEquals("hello", s.next(MessageType.MESSAGE_RECEIVED).getString("text"));
    }
}
