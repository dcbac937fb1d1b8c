package io.liftstream.jobs.input;

import java.io.Serializable;
import java.time.Duration;

/**
 * The event time of one input stream (one subtask's share of it) and the rule that judges each
 * timed line against it: pure, no Flink, so the rule is tested directly and the operator that holds
 * it ({@link EventTimeSplitOperator}) only routes and checkpoints.
 *
 * <p><b>The stream's event time so far</b> is the largest event time of the lines this clock
 * accepted ({@link #latest()}); before the first accepted line it is undefined. A line at time t is:
 *
 * <ol>
 *   <li>{@link Verdict#FUTURE} when t is more than the maximum skew ahead of the stream's event time
 *       so far, or ahead of the record's own timestamp (in Kafka mode the broker's or producer's
 *       record timestamp) by more than the skew. Such a line never moves event time: one event dated
 *       2199 must not make every later event late. The very first line of a stream has no event
 *       time to compare with, so in file mode it is trusted (only the record timestamp bounds it,
 *       when there is one);</li>
 *   <li>{@link Verdict#LATE} when t is at or below the watermark, i.e. more than the out-of-orderness
 *       bound behind the stream's event time so far;</li>
 *   <li>{@link Verdict#ON_TIME} otherwise; it moves the stream's event time to max(latest, t) and the
 *       watermark to {@code latest − bound − 1}.</li>
 * </ol>
 * Both decisions depend on the order of the input alone, never on processing speed, so a bounded
 * replay is deterministic.
 */
public final class EventClock implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No event time yet. */
    public static final long NONE = Long.MIN_VALUE;

    public enum Verdict { ON_TIME, LATE, FUTURE }

    private final long boundMillis;
    private final long skewMillis;
    /** The largest accepted event time, for the watermark; NONE before the first. */
    private long latest = NONE;
    /** What a line may not run ahead of by more than the skew; NONE before the first. Equal to
     *  {@link #latest} except right after a restore at another parallelism (see {@link #restore}). */
    private long reference = NONE;

    public EventClock(Duration outOfOrderness, Duration maxFutureSkew) {
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException(EventTimeOptions.OUT_OF_ORDERNESS.key() + " must not be negative, was " + outOfOrderness);
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException(EventTimeOptions.MAX_FUTURE_SKEW.key() + " must not be negative, was " + maxFutureSkew);
        }
        this.boundMillis = outOfOrderness.toMillis();
        this.skewMillis = maxFutureSkew.toMillis();
    }

    /**
     * Judges a line at {@code eventTime}; {@code recordTimestamp} is the record's own timestamp
     * (Kafka's) or {@link #NONE}. An on-time line advances the clock.
     */
    public Verdict judge(long eventTime, long recordTimestamp) {
        return judge(eventTime, recordTimestamp, true);
    }

    /**
     * As {@link #judge(long, long)}; without {@code futureRule} a line is never {@link
     * Verdict#FUTURE} (lines that are dated ahead on purpose: an experiment definition scheduled
     * for a later time).
     */
    public Verdict judge(long eventTime, long recordTimestamp, boolean futureRule) {
        if (futureRule && (isAhead(eventTime, reference) || isAhead(eventTime, recordTimestamp))) {
            return Verdict.FUTURE;
        }
        if (eventTime <= watermark()) {
            return Verdict.LATE;
        }
        latest = Math.max(latest, eventTime);
        reference = Math.max(reference, eventTime);
        return Verdict.ON_TIME;
    }

    /** Whether {@code eventTime} is more than the skew ahead of the stream's event time so far. */
    public boolean isAheadOfStream(long eventTime) {
        return isAhead(eventTime, reference);
    }

    /** Whether {@code eventTime} is more than the skew ahead of the record's own timestamp (or NONE). */
    public boolean isAheadOfRecord(long eventTime, long recordTimestamp) {
        return isAhead(eventTime, recordTimestamp);
    }

    /** Accepts a line judged ahead after all (a jump the next line confirmed): it moves event time. */
    public void accept(long eventTime) {
        latest = Math.max(latest, eventTime);
        reference = Math.max(reference, eventTime);
    }

    private boolean isAhead(long eventTime, long of) {
        return of != NONE && eventTime - of > skewMillis;
    }

    /** The watermark: {@code latest − bound − 1}, or {@link Long#MIN_VALUE} before the first line. */
    public long watermark() {
        return latest == NONE ? Long.MIN_VALUE : latest - boundMillis - 1;
    }

    /** The stream's event time so far (the largest accepted event time), or {@link #NONE}. */
    public long latest() {
        return latest;
    }

    /** What a future line is measured against, or {@link #NONE}. */
    public long reference() {
        return reference;
    }

    public long maxFutureSkewMillis() {
        return skewMillis;
    }

    /** Sets the clock from a checkpoint: {@code latest} for the watermark, {@code reference} for the future rule. */
    public void restore(long latest, long reference) {
        this.latest = latest;
        this.reference = reference;
    }
}
