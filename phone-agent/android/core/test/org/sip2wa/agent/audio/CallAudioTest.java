package org.sip2wa.agent.audio;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Rule;
import org.junit.Test;
import org.sip2wa.agent.protocol.CallOutcome;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.support.AgentFixture;
import org.sip2wa.agent.support.StationClient;

/**
 * Audio flows for a call only between audio-start and audio-stop on the audio connection (PROTOCOL.md,
 * "Channels"): captured frames outside that window never reach the station, station frames outside it are
 * never injected, and the call's end stops capture.
 */
public class CallAudioTest {
    @Rule
    public final AgentFixture fixture = new AgentFixture();

    private static short[] samples(int value) {
        short[] f = new short[320];
        java.util.Arrays.fill(f, (short) value);
        return f;
    }

    private static byte[] pcm(int value) {
        byte[] b = new byte[640];
        for (int i = 0; i < 320; i++) {
            b[2 * i] = (byte) value;
            b[2 * i + 1] = (byte) (value >> 8);
        }
        return b;
    }

    /** The first sample of the next audio frame the station reads, or null when none comes. */
    private static Integer nextAudioValue(StationClient audio) throws Exception {
        audio.send(Message.of(MessageType.PING, 1L));
        audio.next(MessageType.PONG);
        for (Message m : audio.drain()) {
            if (m.type == MessageType.AUDIO) {
                byte[] p = m.getPcm("pcm");
                return (p[0] & 0xff) | (p[1] << 8);
            }
        }
        return null;
    }

    @Test
    public void framesFlowOnlyInsideTheAudioWindowAndStopWithTheCall() throws Exception {
        StationClient control = fixture.control();
        control.send(Message.of(MessageType.DIAL, 7L, "15550100001"));
        control.next(MessageType.CALL_DIALING);
        assertEquals("dial 7 15550100001", fixture.platform.nextCommand());
        fixture.platform.listener().connected(7);
        control.next(MessageType.CALL_CONNECTED);
        assertEquals("capture on", fixture.platform.nextCommand());
        StationClient audio = fixture.audio();

        // Before audio-start: dropped both ways.
        fixture.platform.capture().onFrame(samples(111));
        audio.send(Message.of(MessageType.AUDIO, 0L, 0L, pcm(222)));
        assertEquals(null, nextAudioValue(audio));
        assertFalse(fixture.platform.waitInjected(222));

        audio.send(Message.of(MessageType.AUDIO_START, 7L));
        audio.send(Message.of(MessageType.PING, 2L));
        audio.next(MessageType.PONG);
        fixture.platform.capture().onFrame(samples(333));
        Message first = audio.next(MessageType.AUDIO);
        assertEquals(0L, first.getLong("seq"));
        assertEquals(0L, first.getLong("timestamp"));
        fixture.platform.capture().onFrame(samples(334));
        Message second = audio.next(MessageType.AUDIO);
        assertEquals(1L, second.getLong("seq"));
        assertEquals(320L, second.getLong("timestamp"));
        audio.send(Message.of(MessageType.AUDIO, 1L, 320L, pcm(444)));
        assertTrue("the station's frame reached WhatsApp's microphone", fixture.platform.waitInjected(444));

        audio.send(Message.of(MessageType.AUDIO_STOP, 7L));
        audio.send(Message.of(MessageType.PING, 3L));
        audio.next(MessageType.PONG);
        fixture.platform.capture().onFrame(samples(555));
        assertEquals(null, nextAudioValue(audio));

        fixture.platform.listener().ended(7, CallOutcome.REMOTE_HANGUP);
        control.next(MessageType.CALL_ENDED);
        assertEquals("capture off", fixture.platform.nextCommand());
    }

    @Test
    public void audioStartForAnUnknownCallGetsError2OnTheAudioConnection() throws Exception {
        fixture.control();
        StationClient audio = fixture.audio();
        audio.send(Message.of(MessageType.AUDIO_START, 42L));
        assertEquals(2, audio.next(MessageType.ERROR).getInt("code"));
    }
}
