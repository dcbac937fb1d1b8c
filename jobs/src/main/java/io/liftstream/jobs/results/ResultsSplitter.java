package io.liftstream.jobs.results;

import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decisions or events after parsing: good inputs on the main output; refused lines and late inputs
 * (at or behind the stream's watermark) on {@link #DEAD_LETTERS} with their reason ({@code late} for
 * the latter), counted in {@code liftstreamDeadLetters} (and {@code liftstreamLateEvents}) and in
 * the stream's own counter of good inputs. Runs chained behind the watermark assignment.
 */
public class ResultsSplitter extends ProcessFunction<ResultsLine, ResultsInput> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<RejectedLine> DEAD_LETTERS = new OutputTag<>("results-dead-letters") {};
    public static final String EXPOSURES = "liftstreamResultsExposures";
    public static final String OUTCOMES = "liftstreamResultsOutcomes";

    private final String goodCounter;

    private transient Counter good;
    private transient Counter dead;
    private transient Counter late;
    private transient LongCounter goodTotal;
    private transient LongCounter deadTotal;
    private transient LongCounter lateTotal;

    /** @param goodCounter {@link #EXPOSURES} or {@link #OUTCOMES} */
    public ResultsSplitter(String goodCounter) {
        this.goodCounter = goodCounter;
    }

    @Override
    public void open(OpenContext openContext) {
        good = getRuntimeContext().getMetricGroup().counter(goodCounter);
        dead = getRuntimeContext().getMetricGroup().counter(InputSplitter.DEAD);
        late = getRuntimeContext().getMetricGroup().counter(InputSplitter.LATE);
        goodTotal = getRuntimeContext().getLongCounter(goodCounter);
        deadTotal = getRuntimeContext().getLongCounter(InputSplitter.DEAD);
        lateTotal = getRuntimeContext().getLongCounter(InputSplitter.LATE);
    }

    @Override
    public void processElement(ResultsLine line, Context ctx, Collector<ResultsInput> out) {
        if (line.input == null) {
            dead.inc();
            deadTotal.add(1);
            ctx.output(DEAD_LETTERS, RejectedLine.deadLetter(null, line.line, line.lineBytes, line.error != null ? line.error : "invalid: not an input"));
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (line.input.timestamp <= watermark) {
            dead.inc();
            deadTotal.add(1);
            late.inc();
            lateTotal.add(1);
            ctx.output(DEAD_LETTERS, RejectedLine.late(line.line, line.input.timestamp, watermark));
            return;
        }
        good.inc();
        goodTotal.add(1);
        out.collect(line.input);
    }
}
