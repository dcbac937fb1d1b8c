package io.liftstream.jobs.input;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an input stream gets its event time: judges every timed line with an {@link EventClock}
 * (on time, late, or dated in the future), routes it, and emits the stream's watermarks itself.
 *
 * <p><b>Why here and not in a {@code WatermarkGenerator}.</b> The future rule and the watermark must
 * see the same decision (a line dead-lettered as {@code future_timestamp} must not move the
 * watermark), and both must survive a restore: a generator is not checkpointed, so after a restart
 * without this state the first lines would be judged against no event time at all and the output
 * would differ from an uninterrupted run. This operator keeps the clock in operator state (one entry
 * per subtask, as union list state) and re-emits the restored watermark before its first record.
 * The source only stamps records with their own timestamp and reports activity ({@link
 * SourceActivity}); watermarks it forwards are ignored, except the final one of a bounded input.
 *
 * <p><b>One line ahead, or a quiet spell?</b> A line more than the skew ahead of the stream's event
 * time is held back (it moves nothing) until the next timed line decides: if that one is far ahead
 * too, the stream itself jumped (a night without events, a gap in a replay) and the held line is
 * accepted; otherwise the held line is a dead letter ({@code future_timestamp}), as is one still held
 * at the end of a bounded input. A line ahead of its own record's (Kafka) timestamp is a dead letter
 * at once: that clock is independent of the line. So a lone broken clock cannot move event time, and
 * a gap in the data does not dead-letter everything after it. Only a line of <em>another</em> user
 * confirms a jump ({@link #owner}): a broken clock is one device, and it usually sends a burst (a
 * session of events all dated ahead); those lines join the held ones (at most {@link #MAX_HELD}; more
 * are dead letters at once) and share their fate. In Kafka mode the record timestamp catches a
 * broken clock on its own.
 *
 * <p>Each subtask has its own clock: with several source subtasks, "the stream" of a line is its
 * subtask's share (one file: one subtask; Kafka: the partitions the subtask reads). After a restore
 * at another parallelism, the partitions move, so the clock restarts conservatively: the watermark
 * from the least advanced entry (nothing turns late that was not), the future reference from the most
 * advanced one (nothing turns future that was not).
 *
 * <p>Watermark statuses pass through (an idle Kafka partition stops holding back downstream);
 * downstream operators must still handle a record at or below their own watermark, which an input
 * that comes back from idleness can deliver.
 *
 * @param <IN> the parsed line
 * @param <OUT> what good lines become
 */
public abstract class EventTimeSplitOperator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT> {
    private static final long serialVersionUID = 1L;

    /** Lines held at most while waiting for a line of another user to confirm a jump. */
    public static final int MAX_HELD = 1000;

    /** Returned by {@link #eventTime} for a line that has no event time (rejected, or an untimed definition). */
    public static final long UNTIMED = Long.MIN_VALUE;

    private final Duration outOfOrderness;
    private final Duration maxFutureSkew;
    private final TypeInformation<IN> inType;

    private transient EventClock clock;
    private transient ListState<long[]> clockState;
    private transient long emitted;
    private transient boolean downstreamIdle;
    /**
     * A line ahead of the stream by more than the skew, waiting for the next timed line to judge it
     * (after a rescale, the lines several subtasks held).
     */
    private transient List<IN> held;
    private transient ListState<IN> heldState;

    protected EventTimeSplitOperator(Duration outOfOrderness, Duration maxFutureSkew, TypeInformation<IN> inType) {
        new EventClock(outOfOrderness, maxFutureSkew); // validates at build time
        this.outOfOrderness = outOfOrderness;
        this.maxFutureSkew = maxFutureSkew;
        this.inType = inType;
    }

    /** The line's event time, or {@link #UNTIMED}. */
    protected abstract long eventTime(IN line);

    /**
     * Whether the future rule applies to this line (default: yes). Experiment definitions, which
     * may be scheduled ahead on purpose, are exempt.
     */
    protected boolean futureRuleApplies(IN line) {
        return true;
    }

    /**
     * Whether this stream's timed lines make its watermark (default: yes). A stream of definitions
     * does not: a definition's timestamp is when it takes effect, not an event, so "stop a in 7 days"
     * must not move event time a week ahead and make "pause b now", written next, late. Such a
     * stream's lines are never late, the future rule does not apply to them, and it holds event time
     * back downstream until it ends (files: every version is known before the first decision, so a
     * replay is deterministic) or goes idle (Kafka).
     */
    protected boolean makesWatermarks() {
        return true;
    }

    /**
     * Whose clock dated the line (its user), or null when unknown: a line far ahead confirms a jump of
     * the stream only when another owner's line is far ahead too.
     */
    protected String owner(IN line) {
        return null;
    }

    /** A line without event time (a rejected line, an untimed definition): never late, moves nothing. */
    protected abstract void untimed(StreamRecord<IN> record);

    protected abstract void onTime(IN line, long eventTime);

    protected abstract void late(IN line, long eventTime, long watermark);

    /** @param reason {@code future_timestamp: ...} */
    protected abstract void future(IN line, long eventTime, String reason);

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        clock = new EventClock(outOfOrderness, maxFutureSkew);
        emitted = Long.MIN_VALUE;
        clockState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("event-clock", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        held = new ArrayList<>(1);
        heldState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("event-clock-held", inType));
        if (context.isRestored()) {
            restore(clockState.get());
            for (IN line : heldState.get()) {
                held.add(line);
            }
        }
    }

    private void restore(Iterable<long[]> entries) {
        TaskInfo task = getRuntimeContext().getTaskInfo();
        long minLatest = EventClock.NONE;
        long maxReference = EventClock.NONE;
        boolean any = false;
        for (long[] e : entries) { // {subtask, parallelism, latest, reference}
            if (e[0] == task.getIndexOfThisSubtask() && e[1] == task.getNumberOfParallelSubtasks()) {
                clock.restore(e[2], e[3]);
                return;
            }
            if (e[2] != EventClock.NONE) {
                minLatest = any ? Math.min(minLatest, e[2]) : e[2];
                any = true;
            }
            maxReference = Math.max(maxReference, e[3]);
        }
        clock.restore(minLatest, maxReference);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        TaskInfo task = getRuntimeContext().getTaskInfo();
        clockState.update(List.of(new long[] {
                task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks(), clock.latest(), clock.reference()}));
        heldState.update(held);
    }

    @Override
    public void processElement(StreamRecord<IN> record) throws Exception {
        activate();
        emitWatermarkIfAdvanced(); // after a restore: the restored watermark goes first
        IN line = record.getValue();
        long t = eventTime(line);
        if (t == UNTIMED) {
            untimed(record);
            return;
        }
        if (!makesWatermarks()) {
            onTime(line, t);
            return;
        }
        long recordTimestamp = record.hasTimestamp() ? record.getTimestamp() : EventClock.NONE;
        boolean futureRule = futureRuleApplies(line);
        if (futureRule && clock.isAheadOfRecord(t, recordTimestamp)) {
            future(line, t, futureReason(t, clock.reference(), recordTimestamp, false));
            return;
        }
        if (!held.isEmpty() && futureRule && clock.isAheadOfStream(t) && heldOwn(owner(line))) {
            // The same clock again (a burst from one device): it confirms nothing, it waits with the rest.
            if (held.size() < MAX_HELD) {
                held.add(line);
            } else {
                future(line, t, futureReason(t, clock.reference(), EventClock.NONE, true));
            }
            return;
        }
        if (!held.isEmpty()) {
            boolean jumped = futureRule && clock.isAheadOfStream(t);
            long reference = clock.reference();
            for (IN h : held) {
                long ht = eventTime(h);
                if (jumped && ht - t <= clock.maxFutureSkewMillis()) {
                    // Another user's line is far ahead too: the stream jumped (a quiet spell), not one
                    // clock. A held line far ahead even of the jump is still a broken clock.
                    clock.accept(ht);
                    onTime(h, ht);
                } else {
                    future(h, ht, futureReason(ht, reference, EventClock.NONE, true));
                }
            }
            held.clear();
            emitWatermarkIfAdvanced();
        }
        long watermark = clock.watermark();
        switch (clock.judge(t, EventClock.NONE, futureRule)) {
            case FUTURE:
                held.add(line); // judged by the next timed line
                return;
            case LATE:
                late(line, t, watermark);
                return;
            default:
                onTime(line, t);
                emitWatermarkIfAdvanced();
        }
    }

    /** Whether {@code owner} (known) dated one of the held lines. */
    private boolean heldOwn(String owner) {
        if (owner == null) {
            return false;
        }
        for (IN h : held) {
            if (owner.equals(owner(h))) {
                return true;
            }
        }
        return false;
    }

    private String futureReason(long t, long reference, long recordTimestamp, boolean ofStream) {
        return "future_timestamp: " + Instant.ofEpochMilli(t) + " is more than " + Duration.ofMillis(clock.maxFutureSkewMillis())
                + (ofStream
                        ? " ahead of the stream's event time " + Instant.ofEpochMilli(reference)
                        : " ahead of the record's timestamp " + Instant.ofEpochMilli(recordTimestamp));
    }

    private void emitWatermarkIfAdvanced() {
        if (!makesWatermarks()) {
            return;
        }
        long w = clock.watermark();
        if (w > emitted) {
            emitted = w;
            output.emitWatermark(new Watermark(w));
        }
    }

    /** Upstream watermarks are ignored (this operator makes them), except the end of a bounded input. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE && emitted < Long.MAX_VALUE) {
            for (IN h : held) { // the input ended: nothing confirms the jump
                future(h, eventTime(h), futureReason(eventTime(h), clock.reference(), EventClock.NONE, true));
            }
            held.clear();
            activate();
            emitted = Long.MAX_VALUE;
            output.emitWatermark(mark);
        }
    }

    /**
     * Passes the input's status on. A record from an input announced idle (it arrives before its
     * source says "active") makes this output active first: an output announced idle drops
     * watermarks. On becoming active, the watermark is stated once more for the same reason.
     */
    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        super.processWatermarkStatus(status);
        downstreamIdle = status.isIdle();
        if (status.isActive() && emitted != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(emitted));
        }
    }

    private void activate() {
        if (downstreamIdle) {
            downstreamIdle = false;
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
        }
    }

    /** Emits a good value at its event time. */
    protected final void emit(OUT value, long eventTime) {
        output.collect(new StreamRecord<>(value, eventTime));
    }

    /** Emits a good value with the timestamp {@code original} came with (Kafka's, or none). */
    protected final void emitAsIs(StreamRecord<IN> original, OUT value) {
        output.collect(original.replace(value));
    }

    protected final <X> void side(OutputTag<X> tag, X value) {
        output.collect(tag, new StreamRecord<>(value));
    }

    /** The current watermark of this subtask's stream (for tests). */
    public long currentEventWatermark() {
        return clock.watermark();
    }
}
