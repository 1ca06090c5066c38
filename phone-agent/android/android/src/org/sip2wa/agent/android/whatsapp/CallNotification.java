package org.sip2wa.agent.android.whatsapp;

/**
 * The caller of a ringing WhatsApp call, read from `dumpsys notification --noredact`: the record of
 * package com.whatsapp whose category is `call` (or whose text announces an incoming call) carries the
 * caller's name or number as `android.title=String (...)`. A fallback for when the call screen cannot be
 * read.
 */
public final class CallNotification {
    private static final String RECORD = "NotificationRecord(";
    private static final String TITLE = "android.title=";

    private CallNotification() {
    }

    /** The title of WhatsApp's call notification, or null when there is none. */
    public static String callerTitle(String dump) {
        if (dump == null) return null;
        int at = dump.indexOf(RECORD);
        while (at >= 0) {
            int next = dump.indexOf(RECORD, at + RECORD.length());
            String record = dump.substring(at, next < 0 ? dump.length() : next);
            if (record.contains("pkg=com.whatsapp ") && isCall(record)) {
                String title = value(record, TITLE);
                if (title != null && title.length() > 0) return title;
            }
            at = next;
        }
        return null;
    }

    private static boolean isCall(String record) {
        if (record.contains("category=call")) return true;
        String text = value(record, "android.text=");
        return text != null && text.toLowerCase(java.util.Locale.ROOT).contains("incoming") && text.toLowerCase(java.util.Locale.ROOT).contains("call");
    }

    /** The value of "key=String (value)" or "key=value" on its line. */
    private static String value(String record, String key) {
        int i = record.indexOf(key);
        if (i < 0) return null;
        int end = record.indexOf('\n', i);
        String v = record.substring(i + key.length(), end < 0 ? record.length() : end).trim();
        if (v.startsWith("String (") && v.endsWith(")")) v = v.substring("String (".length(), v.length() - 1);
        return v.trim();
    }
}
