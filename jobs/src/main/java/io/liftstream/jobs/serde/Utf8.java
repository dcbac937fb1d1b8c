package io.liftstream.jobs.serde;

import java.nio.charset.StandardCharsets;

/** UTF-8 lengths and prefixes without encoding a whole (possibly huge) string. */
public final class Utf8 {
    private Utf8() {}

    /** The UTF-8 length of {@code s} in bytes (an unpaired surrogate counts as the 1-byte '?' Java writes for it). */
    public static long length(CharSequence s) {
        long bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The longest prefix of {@code s} whose UTF-8 encoding has at most {@code maxBytes} bytes (never splits a character). */
    public static String prefix(String s, int maxBytes) {
        long bytes = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int width;
            int chars = 1;
            if (c < 0x80) {
                width = 1;
            } else if (c < 0x800) {
                width = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                width = 4;
                chars = 2;
            } else if (Character.isSurrogate(c)) {
                width = 1;
            } else {
                width = 3;
            }
            if (bytes + width > maxBytes) {
                break;
            }
            bytes += width;
            i += chars;
        }
        return i == n ? s : s.substring(0, i);
    }

    /**
     * The first at most {@code maxBytes} bytes of a UTF-8 record as a string, cut before any character the
     * cut would split: only the prefix is decoded, never the whole record.
     */
    public static String prefix(byte[] utf8, int maxBytes) {
        int end = Math.min(utf8.length, maxBytes);
        if (end < utf8.length) {
            // step back over continuation bytes (10xxxxxx) to the start of the character that straddles the cut
            int start = end;
            while (start > 0 && (utf8[start] & 0xC0) == 0x80) {
                start--;
            }
            end = start;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }
}
