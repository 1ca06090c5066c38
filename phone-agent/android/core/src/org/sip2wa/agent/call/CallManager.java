package org.sip2wa.agent.call;

import org.sip2wa.agent.audio.CallAudio;
import org.sip2wa.agent.link.StationConnection;
import org.sip2wa.agent.link.StationLink;
import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.Platform;
import org.sip2wa.agent.platform.WhatsAppControl;
import org.sip2wa.agent.protocol.AccountState;
import org.sip2wa.agent.protocol.CallOutcome;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.protocol.Protocol;

/**
 * Carries out the station's commands on WhatsApp and reports what WhatsApp did (PROTOCOL.md, "Calls"):
 * one call at a time (a second dial ends busy at once), error 2 for an unknown call id, error 3 for a
 * command that cannot be carried out as asked, hang-up 0 ends every call, and exactly one call-ended per
 * call. Runs on the event thread; WhatsApp events reach it through {@link WhatsAppEvents}.
 */
public final class CallManager implements StationLink.Handler {
    private final StationLink link;
    private final WhatsAppControl whatsApp;
    private final CallAudio audio;
    private final InfoSource info;
    private final AgentLog log;
    private final CallTable calls = new CallTable();

    /** Builds the `info` message on demand. */
    public interface InfoSource {
        Message info();
    }

    public CallManager(StationLink link, Platform platform, CallAudio audio, InfoSource info) {
        this.link = link;
        this.whatsApp = platform.whatsApp();
        this.audio = audio;
        this.info = info;
        this.log = platform.log();
    }

    public CallTable calls() {
        return calls;
    }

    @Override
    public void command(Message m) {
        switch (m.type) {
            case GET_INFO:
                link.sendEvent(info.info());
                return;
            case DIAL:
                dial(m.getLong("callId"), m.getString("number"));
                return;
            case SEND_MESSAGE:
                whatsApp.sendMessage(m.getLong("messageId"), m.getString("to"), m.getString("text"));
                return;
            default:
                if (m.type == MessageType.HANG_UP && m.getLong("callId") == 0) hangUpAll();
                else callCommand(m);
        }
    }

    @Override
    public void audio(Message m, StationConnection from) {
        if (m.type == MessageType.AUDIO) {
            audio.uplink(m.getPcm("pcm"));
            return;
        }
        Call c = known(m, from);
        if (c == null) return;
        if (m.type == MessageType.AUDIO_START) audio.open(c.id);
        else audio.close(c.id);
    }

    @Override
    public void audioChannelLost() {
        audio.channelLost();
    }

    private void dial(long id, String number) {
        if (!CallTable.isStationId(id)) {
            fail(Protocol.ERROR_BAD_COMMAND, "dial callId " + CallTable.hex((int) id) + " is outside the station range 1..0x7fffffff");
            return;
        }
        int callId = (int) id;
        if (calls.get(callId) != null) {
            fail(Protocol.ERROR_BAD_COMMAND, "dial callId " + id + " is already in use");
            return;
        }
        if (!calls.isEmpty()) {
            // One call per phone, as on a handset: the new call is refused, the active one goes on.
            log.info("dial " + id + " to " + number + " refused: a call is already active");
            link.sendEvent(Message.of(MessageType.CALL_ENDED, id, CallOutcome.BUSY));
            return;
        }
        log.info("dial " + id + " to " + number);
        calls.addOutbound(callId, number);
        link.sendEvent(Message.of(MessageType.CALL_DIALING, id, number));
        whatsApp.dial(callId, number);
    }

    private void callCommand(Message m) {
        Call c = known(m, null);
        if (c == null) return;
        switch (m.type) {
            case ANSWER:
            case DECLINE:
                if (!c.incoming || c.state != CallState.INCOMING) {
                    fail(Protocol.ERROR_BAD_COMMAND, m.type.wireName + ": call " + c.hexId() + " is "
                            + (c.incoming ? "incoming" : "outbound") + " and " + c.state.name().toLowerCase()
                            + ", only a ringing incoming call can be " + (m.type == MessageType.ANSWER ? "answered" : "declined"));
                    return;
                }
                if (m.type == MessageType.ANSWER) whatsApp.answer(c.id);
                else whatsApp.decline(c.id);
                return;
            case HANG_UP:
                whatsApp.hangUp(c.id);
                return;
            default:
                throw new IllegalStateException("not a call command: " + m.type.wireName);
        }
    }

    /** The call the message names; otherwise error 2, on {@code from} or else on the control connection. */
    private Call known(Message m, StationConnection from) {
        long id = m.getLong("callId");
        Call c = calls.get((int) id);
        if (c == null) {
            String why = m.type.wireName + ": no call with id " + id + " (" + CallTable.hex((int) id) + ")";
            log.warn(why);
            Message error = Message.of(MessageType.ERROR, Protocol.ERROR_UNKNOWN_CALL, why);
            if (from != null) from.send(error);
            else link.sendEvent(error);
            return null;
        }
        return c;
    }

    /** Hang-up 0: a station that restarted ends whatever it no longer knows about. */
    private void hangUpAll() {
        for (Call c : calls.all()) whatsApp.hangUp(c.id);
    }

    /** The agent stops: each call is hung up, and the station hears each end once (local-hangup). */
    public void endAll() {
        for (Call c : calls.all()) {
            whatsApp.hangUp(c.id);
            ended(c.id, CallOutcome.LOCAL_HANGUP);
        }
    }

    // WhatsApp's events, on the event thread.

    void dialing(int id) {
        Call c = calls.get(id);
        if (c == null) log.warn("WhatsApp reports dialing for unknown call " + CallTable.hex(id));
        // call-dialing was sent when the dial was accepted, so the station learns of it at once.
    }

    void ringing(int id) {
        Call c = calls.get(id);
        if (c == null || c.incoming || c.state != CallState.DIALING) return;
        c.state = CallState.RINGING;
        link.sendEvent(Message.of(MessageType.CALL_RINGING, id & 0xffffffffL));
    }

    void connected(int id) {
        Call c = calls.get(id);
        if (c == null || c.state == CallState.CONNECTED) return;
        c.state = CallState.CONNECTED;
        log.info("call " + c.hexId() + " connected");
        link.sendEvent(Message.of(MessageType.CALL_CONNECTED, id & 0xffffffffL));
        audio.callConnected(id);
    }

    void ended(int id, CallOutcome outcome) {
        if (!calls.remove(id)) {
            log.info("call " + CallTable.hex(id) + " ended twice (" + outcome.wireName() + "): reported once");
            return;
        }
        log.info("call " + CallTable.hex(id) + " ended: " + outcome.wireName());
        audio.callEnded(id);
        link.sendEvent(Message.of(MessageType.CALL_ENDED, id & 0xffffffffL, outcome));
    }

    /** Returns the new call's id. */
    int incoming(String number, String name) {
        Call c = calls.addIncoming(number);
        log.info("incoming call " + c.hexId() + " from " + number);
        link.sendEvent(Message.of(MessageType.CALL_INCOMING, c.id & 0xffffffffL, number, name));
        return c.id;
    }

    void messageReceived(String from, String name, String text, long timeMs) {
        link.sendEvent(Message.of(MessageType.MESSAGE_RECEIVED, from, name, text, Math.max(0, timeMs)));
    }

    void messageSent(long messageId, boolean ok, String error) {
        link.sendEvent(Message.of(MessageType.MESSAGE_SENT, messageId, ok, ok ? "" : (error == null ? "failed" : error)));
    }

    /** The account's health changed: the station hears it at once, in a fresh `info` (PROTOCOL.md, "Account state"). */
    void accountStateChanged(AccountState state) {
        log.info("WhatsApp account state: " + state.wireName());
        link.sendEvent(info.info());
    }

    private void fail(int code, String why) {
        log.warn(why);
        link.sendEvent(Message.of(MessageType.ERROR, code, why));
    }
}
