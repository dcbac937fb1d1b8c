package io.liftstream.jobs.decisions;

/**
 * One input line of the decision job after parsing: a keyed {@link #item}, an experiment {@link
 * #definition}, or an {@link #error}. {@link #time} is its event time (epoch ms); Long.MIN_VALUE for a
 * definition without a timestamp, which moves no watermark. A Flink POJO.
 */
public class DecisionLine {
    public static final long UNTIMED = Long.MIN_VALUE;

    /** The input stream's name: requests, triggers, experiments, events or control. */
    public String stream;
    public String line;
    public String error;
    /** The original line's UTF-8 length when {@link #line} is only an excerpt of it (a too-large line); else 0. */
    public long lineBytes;
    public long time = UNTIMED;
    public UserItem item;
    public BroadcastItem definition;

    public DecisionLine() {}

    public static DecisionLine ok(String stream, String line, UserItem item) {
        DecisionLine d = new DecisionLine();
        d.stream = stream;
        d.line = line;
        d.item = item;
        d.time = item.timestamp;
        return d;
    }

    public static DecisionLine ok(String stream, String line, BroadcastItem definition) {
        DecisionLine d = new DecisionLine();
        d.stream = stream;
        d.line = line;
        d.definition = definition;
        d.time = definition.effectiveAt;
        return d;
    }

    public static DecisionLine rejected(String stream, String line, String error) {
        DecisionLine d = new DecisionLine();
        d.stream = stream;
        d.line = line;
        d.error = error;
        return d;
    }

    /** A line over the size limit, never parsed: carried as its excerpt and original length. */
    public static DecisionLine tooLarge(String stream, String excerpt, long lineBytes, String error) {
        DecisionLine d = rejected(stream, excerpt, error);
        d.lineBytes = lineBytes;
        return d;
    }

    public boolean isValid() {
        return error == null;
    }
}
