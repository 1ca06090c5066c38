package org.sip2wa.agent.android.whatsapp;

import org.sip2wa.agent.protocol.CallOutcome;

/**
 * The outcome of a call that has just ended, from what was seen while it lasted. The order matters: who
 * hung up first, then whether it was ever answered, then what the call screen said last, then timing
 * (PROTOCOL.md: an offline callee never rings and WhatsApp gives up after about 15-20 s).
 */
public final class OutcomeRules {
    /** Dialing this long without ringing, then giving up, is WhatsApp's "offline". */
    static final long OFFLINE_AFTER_MS = 12000;
    /** Ringing this long before the end is an unanswered call rather than a declined one. */
    static final long NO_ANSWER_AFTER_MS = 40000;

    /** What the tracker knew about the call when WhatsApp went idle. */
    public static final class Seen {
        public boolean incoming;
        public boolean hungUpHere;
        public boolean declinedHere;
        public boolean connected;
        public long dialingMillis;
        public long ringingMillis;
        public CallScreen.Status lastStatus = CallScreen.Status.NONE;
    }

    private OutcomeRules() {
    }

    public static CallOutcome outcome(Seen s) {
        if (s.declinedHere) return CallOutcome.REJECTED;
        if (s.hungUpHere) return CallOutcome.LOCAL_HANGUP;
        if (s.connected) return CallOutcome.REMOTE_HANGUP;
        if (s.incoming) return CallOutcome.REMOTE_HANGUP;
        switch (s.lastStatus) {
            case BUSY:
                return CallOutcome.BUSY;
            case DECLINED:
                return CallOutcome.REJECTED;
            case NOT_ON_WHATSAPP:
                return CallOutcome.NOT_ON_WHATSAPP;
            case UNAVAILABLE:
                return s.ringingMillis > 0 ? CallOutcome.NO_ANSWER : CallOutcome.OFFLINE;
            default:
                break;
        }
        if (s.ringingMillis > 0) return s.ringingMillis >= NO_ANSWER_AFTER_MS ? CallOutcome.NO_ANSWER : CallOutcome.REJECTED;
        if (s.dialingMillis >= OFFLINE_AFTER_MS) return CallOutcome.OFFLINE;
        return CallOutcome.ERROR;
    }
}
