package org.sip2wa.agent.android.whatsapp;

import org.sip2wa.agent.platform.AgentLog;
import org.sip2wa.agent.platform.WhatsAppListener;
import org.sip2wa.agent.protocol.CallOutcome;

/**
 * Follows the phone's one WhatsApp call from samples of its {@link CallSignals} and reports it to the
 * core: ringing and connected once each, exactly one ended, and a new incoming call when the phone starts
 * ringing with no call tracked. Pure Java and driven by {@link #step}, with the time passed in, so its
 * rules are tested on the host with recorded signal sequences.
 *
 * <p>A call ends when WhatsApp has stayed idle for {@link #IDLE_DEBOUNCE_MS} (the audio mode flickers
 * while WhatsApp reconfigures its streams); a placed call that never leaves idle within
 * {@link #START_TIMEOUT_MS} ended in error; a hang-up the phone did not follow within
 * {@link #HANG_UP_TIMEOUT_MS} ends in error rather than leaving the line busy forever.
 */
public final class CallTracker {
    static final long IDLE_DEBOUNCE_MS = 1500;
    static final long START_TIMEOUT_MS = 15000;
    static final long HANG_UP_TIMEOUT_MS = 10000;

    /** Who is calling, read when the phone starts ringing. */
    public interface CallerSource {
        /** {number, name}; either may be "" when unreadable. */
        String[] caller();
    }

    private final WhatsAppListener listener;
    private final CallerSource callers;
    private final AgentLog log;

    private int callId;
    private long startedAt;
    private long ringingSince;
    private long idleSince;
    private long hangUpAt;
    private boolean everActive;
    /** The core refused the call ringing now: do not announce it again until the phone is idle. */
    private boolean refusedRinging;
    private OutcomeRules.Seen seen;

    public CallTracker(WhatsAppListener listener, CallerSource callers, AgentLog log) {
        this.listener = listener;
        this.callers = callers;
        this.log = log;
    }

    /** The call id tracked now, 0 when none. */
    public synchronized int current() {
        return callId;
    }

    /** Whether the call is an incoming call that has not been answered yet. */
    public synchronized boolean ringingIncoming(int id) {
        return callId == id && seen.incoming && !seen.connected;
    }

    /** The call intent for `id` was started at `now`. */
    public synchronized void outboundStarted(int id, long now) {
        begin(id, false, now);
    }

    public synchronized void hangUpRequested(int id, long now) {
        if (id != callId) return;
        seen.hungUpHere = true;
        hangUpAt = now;
    }

    public synchronized void declineRequested(int id, long now) {
        if (id != callId) return;
        seen.declinedHere = true;
        hangUpAt = now;
    }

    /** Ends the tracked call at once (the command to place or press failed). */
    public synchronized void fail(int id, CallOutcome outcome) {
        if (id == callId) end(outcome);
    }

    /** One sample, taken at `now` milliseconds on a monotonic clock. */
    public synchronized void step(CallSignals signals, long now) {
        CallPhase phase = CallPhaseClassifier.classify(signals);
        if (callId == 0) {
            if (phase == CallPhase.IDLE) refusedRinging = false;
            else if (phase == CallPhase.RINGING_IN && !refusedRinging) announceIncoming(now);
            return;
        }
        if (phase != CallPhase.IDLE) {
            everActive = true;
            idleSince = 0;
            follow(phase, signals, now);
        } else if (!everActive) {
            if (now - startedAt >= START_TIMEOUT_MS) {
                log.warn("whatsapp: call " + id() + " never started on the phone within " + START_TIMEOUT_MS + " ms");
                end(CallOutcome.ERROR);
                return;
            }
        } else if (idleSince == 0) {
            idleSince = now;
        } else if (now - idleSince >= IDLE_DEBOUNCE_MS) {
            long endedAt = idleSince;
            seen.dialingMillis = (ringingSince > 0 ? ringingSince : endedAt) - startedAt;
            seen.ringingMillis = ringingSince > 0 ? endedAt - ringingSince : 0;
            end(OutcomeRules.outcome(seen));
            return;
        }
        if (hangUpAt > 0 && now - hangUpAt >= HANG_UP_TIMEOUT_MS) {
            log.warn("whatsapp: call " + id() + " still on " + HANG_UP_TIMEOUT_MS + " ms after hanging up (" + signals + ")");
            end(CallOutcome.ERROR);
        }
    }

    private void follow(CallPhase phase, CallSignals signals, long now) {
        if (phase == CallPhase.RINGBACK && !seen.incoming && ringingSince == 0 && !seen.connected) {
            ringingSince = Math.max(startedAt + 1, now);
            listener.ringing(callId);
        }
        if (phase == CallPhase.IN_CALL && !seen.connected) {
            seen.connected = true;
            listener.connected(callId);
        }
        CallScreen.Status status = CallScreen.classify(signals.screenStatus);
        if (status != CallScreen.Status.NONE && status != CallScreen.Status.CALLING && status != CallScreen.Status.RINGING
                && status != CallScreen.Status.TIMER) {
            seen.lastStatus = status;
        }
    }

    private void announceIncoming(long now) {
        String[] who = callers.caller();
        String number = who[0] == null ? "" : who[0];
        String name = who[1] == null ? "" : who[1];
        int id = listener.incoming(number, name);
        if (id == 0) {
            log.info("whatsapp: incoming call from '" + number + "' refused by the agent");
            refusedRinging = true;
            return;
        }
        begin(id, true, now);
        everActive = true;
    }

    private void begin(int id, boolean incoming, long now) {
        callId = id;
        startedAt = now;
        ringingSince = 0;
        idleSince = 0;
        hangUpAt = 0;
        everActive = false;
        seen = new OutcomeRules.Seen();
        seen.incoming = incoming;
    }

    private void end(CallOutcome outcome) {
        int id = callId;
        callId = 0;
        log.info("whatsapp: call " + Integer.toHexString(id) + " ended " + outcome.wireName());
        listener.ended(id, outcome);
    }

    private String id() {
        return Integer.toHexString(callId);
    }
}
