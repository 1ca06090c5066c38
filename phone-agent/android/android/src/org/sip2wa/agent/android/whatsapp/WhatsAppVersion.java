package org.sip2wa.agent.android.whatsapp;

import java.util.ArrayList;
import java.util.List;

/**
 * A WhatsApp versionName ("2.24.25.78") compared number by number, so "2.24.10" sorts after "2.24.9".
 * Anything after the leading numbers ("2.25.1.75-beta") is ignored; an unreadable or empty version sorts
 * first, so it gets the oldest selector table.
 */
public final class WhatsAppVersion implements Comparable<WhatsAppVersion> {
    private final int[] parts;
    private final String text;

    private WhatsAppVersion(int[] parts, String text) {
        this.parts = parts;
        this.text = text;
    }

    public static WhatsAppVersion parse(String versionName) {
        String s = versionName == null ? "" : versionName.trim();
        List<Integer> numbers = new ArrayList<Integer>();
        for (String piece : s.split("\\.")) {
            int end = 0;
            while (end < piece.length() && Character.isDigit(piece.charAt(end)) && end < 9) end++;
            if (end == 0) break;
            numbers.add(Integer.valueOf(piece.substring(0, end)));
            if (end < piece.length()) break;
        }
        int[] parts = new int[numbers.size()];
        for (int i = 0; i < parts.length; i++) parts[i] = numbers.get(i).intValue();
        return new WhatsAppVersion(parts, s);
    }

    @Override
    public int compareTo(WhatsAppVersion o) {
        int n = Math.max(parts.length, o.parts.length);
        for (int i = 0; i < n; i++) {
            int a = i < parts.length ? parts[i] : 0;
            int b = i < o.parts.length ? o.parts[i] : 0;
            if (a != b) return a < b ? -1 : 1;
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WhatsAppVersion && compareTo((WhatsAppVersion) o) == 0;
    }

    @Override
    public int hashCode() {
        int h = 0;
        int last = parts.length;
        while (last > 0 && parts[last - 1] == 0) last--;
        for (int i = 0; i < last; i++) h = h * 31 + parts[i];
        return h;
    }

    @Override
    public String toString() {
        return text;
    }
}
