package org.sip2wa.agent.protocol;

/** Who sends a message type. */
public enum Direction {
    STATION_TO_AGENT("station-to-agent"), AGENT_TO_STATION("agent-to-station"), BOTH("both");

    public final String wireName;

    Direction(String wireName) {
        this.wireName = wireName;
    }
}
