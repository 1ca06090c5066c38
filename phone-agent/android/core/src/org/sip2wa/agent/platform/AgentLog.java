package org.sip2wa.agent.platform;

/** The agent's log: logcat on a phone, the virtual phone's log on the host. One line per call. */
public interface AgentLog {
    void info(String message);

    void warn(String message);

    void error(String message, Throwable cause);
}
