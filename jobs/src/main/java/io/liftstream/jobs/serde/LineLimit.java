package io.liftstream.jobs.serde;

import io.liftstream.jobs.input.InputOptions;

import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;

/**
 * The input size limit ({@link InputOptions#MAX_LINE_BYTES}), checked before a line is parsed: a
 * 1 MiB line is never handed to a JSON parser, and only its first {@link RejectedLine#EXCERPT_BYTES}
 * travel on, to the dead letters (reason {@code too_large}).
 */
public final class LineLimit implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String TOO_LARGE = "too_large";

    private final int maxBytes;

    public LineLimit(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException(InputOptions.MAX_LINE_BYTES.key() + " must be at least 1, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public static LineLimit of(ReadableConfig config) {
        return new LineLimit(InputOptions.maxLineBytes(config));
    }

    /** The default limit (32 KiB). */
    public static LineLimit defaults() {
        return new LineLimit(InputOptions.DEFAULT_MAX_LINE_BYTES);
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** The line's UTF-8 length if it is over the limit, else -1. Counts bytes only when the char count leaves doubt. */
    public long excess(String line) {
        if ((long) line.length() * 3 <= maxBytes) {
            return -1; // at most 3 bytes per char (a 4-byte character is 2 chars)
        }
        long bytes = Utf8.length(line);
        return bytes > maxBytes ? bytes : -1;
    }

    /** The record's length if it is over the limit, else -1. */
    public long excess(byte[] utf8) {
        return utf8.length > maxBytes ? utf8.length : -1;
    }

    /** The dead-letter reason for a line of {@code bytes} bytes. */
    public String reason(long bytes) {
        return TOO_LARGE + ": " + bytes + " bytes, over " + InputOptions.MAX_LINE_BYTES.key() + " = " + maxBytes;
    }

    /** The excerpt a too-large line travels as. */
    public static String excerpt(String line) {
        return Utf8.prefix(line, RejectedLine.EXCERPT_BYTES);
    }

    public static String excerpt(byte[] utf8) {
        return Utf8.prefix(utf8, RejectedLine.EXCERPT_BYTES);
    }
}
