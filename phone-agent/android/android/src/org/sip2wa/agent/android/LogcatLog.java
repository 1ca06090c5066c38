package org.sip2wa.agent.android;

import android.util.Log;

import org.sip2wa.agent.platform.AgentLog;

/** The agent's log on a phone: logcat, tag `sip2wa-agent` (`adb logcat -s sip2wa-agent`). */
public final class LogcatLog implements AgentLog {
    public static final String TAG = "sip2wa-agent";

    @Override
    public void info(String message) {
        Log.i(TAG, message);
    }

    @Override
    public void warn(String message) {
        Log.w(TAG, message);
    }

    @Override
    public void error(String message, Throwable cause) {
        Log.e(TAG, message, cause);
    }
}
