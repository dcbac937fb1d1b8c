package io.liftstream.jobs.decisions;

import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Good lines of one input stream on the main output; bad and late lines on {@link #DEAD_LETTERS}
 * with their reason and stream, counted ({@code liftstreamDecideLines}, {@code
 * liftstreamDecideDeadLetters}, as metrics and accumulators). Chained behind the stream's watermark
 * assignment, so lateness depends on that stream's order alone: a request, trigger or outcome at or
 * below its own stream's watermark would be joined with state that has already moved past it, so it
 * is a dead letter ("late") instead.
 *
 * <p>Two kinds are never late. A control event is a fact about the user that must not be lost (an
 * opt-out dropped as late would let the user be treated): it goes on, counted as late-applied
 * ({@code liftstreamDecideLateApplied}), and the decision operator applies it from its own
 * timestamp to every item of the user still waiting there (decisions already out are not
 * retracted). A definition's timestamp is when it takes effect, not when it happened; its stream
 * has no watermark (see {@link DecisionWatermarks#forDefinitions()}).
 */
public class DecisionSplitter extends ProcessFunction<DecisionLine, DecisionLine> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<RejectedLine> DEAD_LETTERS = new OutputTag<>("decide-input-dead-letters", Types.POJO(RejectedLine.class));
    public static final String LINES = "liftstreamDecideLines";
    public static final String DEAD = "liftstreamDecideDeadLetters";
    /** Control lines behind their stream's watermark, passed on all the same. */
    public static final String LATE_APPLIED = "liftstreamDecideLateApplied";

    private transient Counter lines;
    private transient Counter dead;
    private transient Counter lateApplied;

    @Override
    public void open(OpenContext openContext) {
        lines = getRuntimeContext().getMetricGroup().counter(LINES);
        dead = getRuntimeContext().getMetricGroup().counter(DEAD);
        lateApplied = getRuntimeContext().getMetricGroup().counter(LATE_APPLIED);
    }

    @Override
    public void processElement(DecisionLine line, Context ctx, Collector<DecisionLine> out) {
        lines.inc();
        getRuntimeContext().getLongCounter(LINES).add(1);
        if (!line.isValid()) {
            reject(ctx, RejectedLine.deadLetter(line.stream, line.line, line.lineBytes, line.error));
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (line.item != null && line.time <= watermark) {
            if (line.item.kind == UserItem.CONTROL) {
                lateApplied.inc();
                getRuntimeContext().getLongCounter(LATE_APPLIED).add(1);
                out.collect(line);
                return;
            }
            RejectedLine late = RejectedLine.late(line.line, line.time, watermark);
            late.stream = line.stream;
            reject(ctx, late);
            return;
        }
        out.collect(line);
    }

    private void reject(Context ctx, RejectedLine r) {
        dead.inc();
        getRuntimeContext().getLongCounter(DEAD).add(1);
        ctx.output(DEAD_LETTERS, r);
    }
}
