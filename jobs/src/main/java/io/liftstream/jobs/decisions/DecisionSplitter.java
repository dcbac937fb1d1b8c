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
 * assignment, so lateness depends on that stream's order alone: a line at or below its own stream's
 * watermark would be joined with state that has already moved past it, so it is a dead letter
 * ("late") instead. Untimed definitions are never late.
 */
public class DecisionSplitter extends ProcessFunction<DecisionLine, DecisionLine> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<RejectedLine> DEAD_LETTERS = new OutputTag<>("decide-input-dead-letters", Types.POJO(RejectedLine.class));
    public static final String LINES = "liftstreamDecideLines";
    public static final String DEAD = "liftstreamDecideDeadLetters";

    private transient Counter lines;
    private transient Counter dead;

    @Override
    public void open(OpenContext openContext) {
        lines = getRuntimeContext().getMetricGroup().counter(LINES);
        dead = getRuntimeContext().getMetricGroup().counter(DEAD);
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
        if (line.time != DecisionLine.UNTIMED && line.time <= watermark) {
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
