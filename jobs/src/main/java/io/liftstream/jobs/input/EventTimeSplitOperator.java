package io.liftstream.jobs.input;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.time.Instant;
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
 * SourceActivity}); watermarks it might forward are ignored, except the final one of a bounded input.
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

    /** Returned by {@link #eventTime} for a line that has no event time (rejected, or an untimed definition). */
    public static final long UNTIMED = Long.MIN_VALUE;

    private final Duration outOfOrderness;
    private final Duration maxFutureSkew;

    private transient EventClock clock;
    private transient ListState<long[]> clockState;
    private transient long emitted;

    protected EventTimeSplitOperator(Duration outOfOrderness, Duration maxFutureSkew) {
        new EventClock(outOfOrderness, maxFutureSkew); // validates at build time
        this.outOfOrderness = outOfOrderness;
        this.maxFutureSkew = maxFutureSkew;
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
        if (context.isRestored()) {
            restore(clockState.get());
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
    }

    @Override
    public void processElement(StreamRecord<IN> record) throws Exception {
        emitWatermarkIfAdvanced(); // after a restore: the restored watermark goes first
        IN line = record.getValue();
        long t = eventTime(line);
        if (t == UNTIMED) {
            untimed(record);
            return;
        }
        long recordTimestamp = record.hasTimestamp() ? record.getTimestamp() : EventClock.NONE;
        long reference = clock.reference();
        long watermark = clock.watermark();
        switch (clock.judge(t, recordTimestamp, futureRuleApplies(line))) {
            case FUTURE:
                future(line, t, futureReason(t, reference, recordTimestamp));
                return;
            case LATE:
                late(line, t, watermark);
                return;
            default:
                onTime(line, t);
                emitWatermarkIfAdvanced();
        }
    }

    private String futureReason(long t, long reference, long recordTimestamp) {
        long skew = clock.maxFutureSkewMillis();
        boolean ofStream = reference != EventClock.NONE && t - reference > skew;
        return "future_timestamp: " + Instant.ofEpochMilli(t) + " is more than " + Duration.ofMillis(skew)
                + (ofStream
                        ? " ahead of the stream's event time " + Instant.ofEpochMilli(reference)
                        : " ahead of the record's timestamp " + Instant.ofEpochMilli(recordTimestamp));
    }

    private void emitWatermarkIfAdvanced() {
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
            emitted = Long.MAX_VALUE;
            output.emitWatermark(mark);
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
