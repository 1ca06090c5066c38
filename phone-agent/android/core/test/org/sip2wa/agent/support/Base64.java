package org.sip2wa.agent.support;

/** Base64 (RFC 4648 section 4) for the vectors' pcm fields; Java 7 has no java.util.Base64. */
public final class Base64 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private Base64() {
    }

    public static byte[] decode(String s) {
        String t = s.replace("=", "");
        byte[] out = new byte[t.length() * 3 / 4];
        int bits = 0;
        int acc = 0;
        int n = 0;
        for (int k = 0; k < t.length(); k++) {
            int v = ALPHABET.indexOf(t.charAt(k));
            if (v < 0) throw new IllegalArgumentException("not base64: " + s);
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >> bits);
            }
        }
        return out;
    }

    public static String encode(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < b.length; k += 3) {
            int chunk = (b[k] & 0xff) << 16 | (k + 1 < b.length ? (b[k + 1] & 0xff) << 8 : 0)
                    | (k + 2 < b.length ? b[k + 2] & 0xff : 0);
            sb.append(ALPHABET.charAt(chunk >> 18 & 63)).append(ALPHABET.charAt(chunk >> 12 & 63));
            sb.append(k + 1 < b.length ? ALPHABET.charAt(chunk >> 6 & 63) : '=');
            sb.append(k + 2 < b.length ? ALPHABET.charAt(chunk & 63) : '=');
        }
        return sb.toString();
    }
}
