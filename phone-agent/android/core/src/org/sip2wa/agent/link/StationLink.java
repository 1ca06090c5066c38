package org.sip2wa.agent.link;

import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.protocol.Channel;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.protocol.Protocol;
import org.sip2wa.agent.server.EventLoop;

/**
 * The station as the agent sees it: one control connection and at most one audio connection
 * (PROTOCOL.md, "Channels"). A new connection replaces the old one of its channel; calls survive it. Ping
 * is answered on either channel; a command on the wrong channel gets error 3 and the link stays up.
 * Connection changes and messages are handled on the event thread.
 */
public final class StationLink implements StationConnection.Listener {
    /** What the link hands on, on the event thread. */
    public interface Handler {
        /** get-info, dial, answer, decline, hang-up, send-message from the control connection. */
        void command(Message m);

        /** audio-start, audio-stop and audio from the audio connection {@code from} (errors go back on it). */
        void audio(Message m, StationConnection from);

        /** The audio connection closed or was replaced: audio stops until the next audio-start. */
        void audioChannelLost();
    }

    private final EventLoop loop;
    private final AgentLog log;
    private Handler handler;
    private volatile StationConnection control;
    private volatile StationConnection audio;

    public StationLink(EventLoop loop, AgentLog log) {
        this.loop = loop;
        this.log = log;
    }

    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    /** Sends an event on the control connection; with no station connected, the event is lost (PROTOCOL.md). */
    public void sendEvent(Message m) {
        StationConnection c = control;
        if (c != null) c.send(m);
    }

    /** Sends a downlink frame on the audio connection, from the capture thread. */
    public void sendAudio(Message m) {
        StationConnection c = audio;
        if (c != null) c.send(m);
    }

    /** Closes both connections (the agent stops). */
    public void closeAll(String reason) {
        StationConnection c = control;
        StationConnection a = audio;
        if (c != null) c.close(reason);
        if (a != null) a.close(reason);
    }

    @Override
    public void ready(final StationConnection c) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                attach(c);
            }
        });
    }

    @Override
    public void message(final StationConnection c, final Message m) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                dispatch(c, m);
            }
        });
    }

    @Override
    public void closed(final StationConnection c, String reason) {
        loop.post(new Runnable() {
            @Override
            public void run() {
                detach(c);
            }
        });
    }

    private void attach(StationConnection c) {
        if (c.channel() == Channel.CONTROL) {
            StationConnection old = control;
            control = c;
            if (old != null) old.close("replaced by a new control connection");
        } else {
            StationConnection old = audio;
            audio = c;
            if (old != null) {
                old.close("replaced by a new audio connection");
                handler.audioChannelLost();
            }
        }
    }

    private void detach(StationConnection c) {
        if (control == c) control = null;
        if (audio == c) {
            audio = null;
            handler.audioChannelLost();
        }
    }

    private void dispatch(StationConnection c, Message m) {
        // A message still in flight from a connection that was replaced belongs to no station any more.
        if (c != control && c != audio) return;
        if (m.type == MessageType.PING) {
            c.send(Message.of(MessageType.PONG, m.getLong("nonce")));
            return;
        }
        boolean onAudio = c.channel() == Channel.AUDIO;
        switch (m.type) {
            case GET_INFO:
            case DIAL:
            case ANSWER:
            case DECLINE:
            case HANG_UP:
            case SEND_MESSAGE:
                if (onAudio) wrongChannel(c, m, "control");
                else handler.command(m);
                return;
            case AUDIO_START:
            case AUDIO_STOP:
            case AUDIO:
                if (onAudio) handler.audio(m, c);
                else wrongChannel(c, m, "audio");
                return;
            case AUDIO_ACK:
                // Kept for the station's TCP acknowledgements only (PROTOCOL.md, "Audio"); nothing to do.
                if (!onAudio) wrongChannel(c, m, "audio");
                return;
            default:
                log.warn("station " + c.label() + " sent '" + m.type.wireName + "', which is not a command");
                c.sendError(Protocol.ERROR_BAD_COMMAND, "'" + m.type.wireName + "' is not a command the agent accepts");
        }
    }

    private void wrongChannel(StationConnection c, Message m, String belongs) {
        String why = "'" + m.type.wireName + "' belongs on the " + belongs + " channel, not on " + c.channel().wireName();
        log.warn("station " + c.label() + ": " + why);
        c.sendError(Protocol.ERROR_BAD_COMMAND, why);
    }
}
