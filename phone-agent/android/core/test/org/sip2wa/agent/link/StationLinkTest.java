package org.sip2wa.agent.link;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Rule;
import org.junit.Test;
import org.sip2wa.agent.protocol.Channel;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.protocol.Protocol;
import org.sip2wa.agent.support.AgentFixture;
import org.sip2wa.agent.support.StationClient;

/** The handshake and channel rules of PROTOCOL.md ("Handshake", "Channels"), over loopback TCP. */
public class StationLinkTest {
    @Rule
    public final AgentFixture fixture = new AgentFixture();

    @Test
    public void theAgentSpeaksFirstWithItsHello() throws Exception {
        StationClient s = new StationClient(fixture.port());
        Message hello = s.next(MessageType.HELLO);
        assertEquals(Protocol.VERSION, hello.getInt("version"));
        assertEquals("sip2wa-agent/test", hello.getString("software"));
        s.close();
    }

    @Test
    public void anotherVersionGetsError1AndTheConnectionCloses() throws Exception {
        StationClient s = new StationClient(fixture.port());
        s.next(MessageType.HELLO);
        s.send(Message.of(MessageType.HELLO, 1, "old-station/1"));
        Message error = s.next(MessageType.ERROR);
        assertEquals(Protocol.ERROR_VERSION_MISMATCH, error.getInt("code"));
        assertEquals("station protocol 1, agent speaks 3", error.getString("message"));
        assertTrue(s.closedByAgent());
    }

    @Test
    public void somethingBeforeHelloGetsError4AndTheConnectionCloses() throws Exception {
        StationClient s = new StationClient(fixture.port());
        s.next(MessageType.HELLO);
        s.send(Message.of(MessageType.PING, 1L));
        assertEquals(Protocol.ERROR_HANDSHAKE, s.next(MessageType.ERROR).getInt("code"));
        assertTrue(s.closedByAgent());
    }

    @Test
    public void somethingOtherThanChannelAfterHelloGetsError4() throws Exception {
        StationClient s = new StationClient(fixture.port());
        s.next(MessageType.HELLO);
        s.send(Message.of(MessageType.HELLO, Protocol.VERSION, "station/1"));
        s.send(Message.of(MessageType.GET_INFO));
        Message error = s.next(MessageType.ERROR);
        assertEquals(Protocol.ERROR_HANDSHAKE, error.getInt("code"));
        assertTrue(error.getString("message"), error.getString("message").contains("channel"));
        assertTrue(s.closedByAgent());
    }

    @Test
    public void garbageClosesTheConnection() throws Exception {
        StationClient s = fixture.control();
        s.sendRaw(new byte[] {0x7e, 0, 0, 0, 0, 0});
        assertTrue(s.closedByAgent());
    }

    @Test
    public void pingIsAnsweredOnBothChannels() throws Exception {
        StationClient control = fixture.control();
        StationClient audio = fixture.audio();
        control.send(Message.of(MessageType.PING, 0xfffffffeL));
        audio.send(Message.of(MessageType.PING, 12L));
        assertEquals(0xfffffffeL, control.next(MessageType.PONG).getLong("nonce"));
        assertEquals(12L, audio.next(MessageType.PONG).getLong("nonce"));
    }

    @Test
    public void eachCommandBelongsOnItsChannelOthersGetError3AndTheLinkStaysUp() throws Exception {
        StationClient control = fixture.control();
        StationClient audio = fixture.audio();
        control.send(Message.of(MessageType.AUDIO_START, 1L));
        assertEquals(Protocol.ERROR_BAD_COMMAND, control.next(MessageType.ERROR).getInt("code"));
        control.send(Message.of(MessageType.AUDIO, 0L, 0L, new byte[640]));
        assertEquals(Protocol.ERROR_BAD_COMMAND, control.next(MessageType.ERROR).getInt("code"));
        audio.send(Message.of(MessageType.GET_INFO));
        assertEquals(Protocol.ERROR_BAD_COMMAND, audio.next(MessageType.ERROR).getInt("code"));
        audio.send(Message.of(MessageType.DIAL, 5L, "15550100001"));
        assertEquals(Protocol.ERROR_BAD_COMMAND, audio.next(MessageType.ERROR).getInt("code"));
        control.send(Message.of(MessageType.CHANNEL, Channel.AUDIO));
        assertEquals(Protocol.ERROR_BAD_COMMAND, control.next(MessageType.ERROR).getInt("code"));
        // Both still up.
        control.send(Message.of(MessageType.GET_INFO));
        assertEquals("Pixel 7", control.next(MessageType.INFO).getString("model"));
        audio.send(Message.of(MessageType.PING, 3L));
        assertEquals(3L, audio.next(MessageType.PONG).getLong("nonce"));
    }

    @Test
    public void aNewControlConnectionReplacesTheOldOneAndTheCallSurvives() throws Exception {
        StationClient first = fixture.control();
        first.send(Message.of(MessageType.DIAL, 7L, "15550100001"));
        first.next(MessageType.CALL_DIALING);
        assertEquals("dial 7 15550100001", fixture.platform.nextCommand());
        StationClient audio = fixture.audio();
        StationClient second = fixture.control();
        assertTrue("the old control connection is closed", first.closedByAgent());
        fixture.platform.listener().connected(7);
        assertEquals(7L, second.next(MessageType.CALL_CONNECTED).getLong("callId"));
        // The audio connection was not replaced by the control one.
        audio.send(Message.of(MessageType.PING, 4L));
        assertEquals(4L, audio.next(MessageType.PONG).getLong("nonce"));
        second.send(Message.of(MessageType.HANG_UP, 7L));
        assertEquals("capture on", fixture.platform.nextCommand());
        assertEquals("hang-up 7", fixture.platform.nextCommand());
    }

    @Test
    public void aNewAudioConnectionReplacesTheOldAudioConnectionOnly() throws Exception {
        StationClient control = fixture.control();
        StationClient first = fixture.audio();
        StationClient second = fixture.audio();
        assertTrue(first.closedByAgent());
        second.send(Message.of(MessageType.PING, 8L));
        assertEquals(8L, second.next(MessageType.PONG).getLong("nonce"));
        control.send(Message.of(MessageType.PING, 9L));
        assertEquals(9L, control.next(MessageType.PONG).getLong("nonce"));
    }
}
