package io.liftstream.jobs.serde;

/**
 * A line that did not enter the trigger patterns: dead-lettered (bad input) or late. Carries the
 * original line, so it can be fixed and replayed. A Flink POJO.
 */
public class RejectedLine {
    /** Why: a short code and a detail, e.g. {@code "invalid_timestamp: ..."} or {@code "late"}. */
    public String reason;
    public String line;
    /** The input stream the line came from (the decision job reads several); null for the trigger job. */
    public String stream;
    /** For late events: the event's time and the watermark it missed (epoch ms); else null. */
    public Long eventTime;
    public Long watermark;

    public RejectedLine() {}

    public static RejectedLine deadLetter(String line, String reason) {
        RejectedLine r = new RejectedLine();
        r.line = line;
        r.reason = reason;
        return r;
    }

    public static RejectedLine deadLetter(String stream, String line, String reason) {
        RejectedLine r = deadLetter(line, reason);
        r.stream = stream;
        return r;
    }

    public static RejectedLine late(String line, long eventTime, long watermark) {
        RejectedLine r = new RejectedLine();
        r.line = line;
        r.reason = "late";
        r.eventTime = eventTime;
        r.watermark = watermark;
        return r;
    }
}
