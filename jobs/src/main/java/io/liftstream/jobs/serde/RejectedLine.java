package io.liftstream.jobs.serde;

/**
 * A line that did not enter the trigger patterns: dead-lettered (bad input) or late. Carries the
 * original line, so it can be fixed and replayed, but at most its first {@link #EXCERPT_BYTES} bytes:
 * a dead letter must fit any topic (a 720 KB line once became a 1.2 MB dead letter that Kafka
 * refused, and the job crash-looped on it). A cut line says so ({@link #truncated}) and keeps its
 * original length ({@link #lineBytes}). A Flink POJO.
 */
public class RejectedLine {
    /** The most bytes of the original line a dead letter or late record carries (4 KiB). */
    public static final int EXCERPT_BYTES = 4 * 1024;
    /** The most bytes of a reason (its detail may quote the input). */
    public static final int REASON_BYTES = 1024;

    /** Why: a short code and a detail, e.g. {@code "invalid_timestamp: ..."} or {@code "late"}. */
    public String reason;
    /** The line, or its first {@link #EXCERPT_BYTES} bytes (cut on a character boundary). */
    public String line;
    /** The input stream the line came from (the decision job reads several); null for the trigger job. */
    public String stream;
    /** For late events: the event's time and the watermark it missed (epoch ms); else null. */
    public Long eventTime;
    public Long watermark;
    /** True when {@link #line} is only the start of the original line. */
    public boolean truncated;
    /** The original line's UTF-8 length when {@link #truncated}, else null. */
    public Long lineBytes;

    public RejectedLine() {}

    public static RejectedLine deadLetter(String line, String reason) {
        return deadLetter(null, line, 0, reason);
    }

    public static RejectedLine deadLetter(String stream, String line, String reason) {
        return deadLetter(stream, line, 0, reason);
    }

    /**
     * A dead letter whose {@code line} may already be an excerpt: {@code originalBytes} is then the
     * original line's UTF-8 length (0 when {@code line} is the whole line).
     */
    public static RejectedLine deadLetter(String stream, String line, long originalBytes, String reason) {
        RejectedLine r = new RejectedLine();
        r.stream = stream;
        r.reason = reason == null ? null : Utf8.prefix(reason, REASON_BYTES);
        r.setLine(line, originalBytes);
        return r;
    }

    public static RejectedLine late(String line, long eventTime, long watermark) {
        RejectedLine r = new RejectedLine();
        r.setLine(line, 0);
        r.reason = "late";
        r.eventTime = eventTime;
        r.watermark = watermark;
        return r;
    }

    private void setLine(String text, long originalBytes) {
        if (text == null) {
            line = null;
            return;
        }
        long bytes = originalBytes > 0 ? originalBytes : Utf8.length(text);
        line = bytes > EXCERPT_BYTES ? Utf8.prefix(text, EXCERPT_BYTES) : text;
        if (bytes > EXCERPT_BYTES) {
            truncated = true;
            lineBytes = bytes;
        }
    }
}
