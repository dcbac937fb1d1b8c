package io.liftstream.jobs.results;

import io.liftstream.jobs.input.EventTimeSplitOperator;
import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.time.Duration;

/**
 * Decisions or events after parsing, and their stream's event time ({@link EventTimeSplitOperator}):
 * good inputs on the main output at their event time; refused lines, late inputs (at or behind the
 * stream's watermark, reason {@code late}) and inputs dated more than the maximum future skew ahead
 * (reason {@code future_timestamp}, moving nothing) on {@link #DEAD_LETTERS}, counted in {@code
 * liftstreamDeadLetters} (the late ones also in {@code liftstreamLateEvents}) and good inputs in the
 * stream's own counter.
 */
public class ResultsSplitter extends EventTimeSplitOperator<ResultsLine, ResultsInput> {
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
    public ResultsSplitter(String goodCounter, Duration outOfOrderness, Duration maxFutureSkew) {
        super(outOfOrderness, maxFutureSkew, TypeInformation.of(ResultsLine.class));
        this.goodCounter = goodCounter;
    }

    @Override
    public void open() throws Exception {
        super.open();
        good = getRuntimeContext().getMetricGroup().counter(goodCounter);
        dead = getRuntimeContext().getMetricGroup().counter(InputSplitter.DEAD);
        late = getRuntimeContext().getMetricGroup().counter(InputSplitter.LATE);
        goodTotal = getRuntimeContext().getLongCounter(goodCounter);
        deadTotal = getRuntimeContext().getLongCounter(InputSplitter.DEAD);
        lateTotal = getRuntimeContext().getLongCounter(InputSplitter.LATE);
    }

    @Override
    protected long eventTime(ResultsLine line) {
        return line.input != null ? line.input.timestamp : UNTIMED;
    }

    @Override
    protected String owner(ResultsLine line) {
        return line.input != null ? line.input.userId : null;
    }

    @Override
    protected void untimed(StreamRecord<ResultsLine> record) {
        ResultsLine line = record.getValue();
        dead(RejectedLine.deadLetter(null, line.line, line.lineBytes, line.error != null ? line.error : "invalid: not an input"));
    }

    @Override
    protected void onTime(ResultsLine line, long eventTime) {
        good.inc();
        goodTotal.add(1);
        emit(line.input, eventTime);
    }

    @Override
    protected void late(ResultsLine line, long eventTime, long watermark) {
        late.inc();
        lateTotal.add(1);
        dead(RejectedLine.late(line.line, eventTime, watermark));
    }

    @Override
    protected void future(ResultsLine line, long eventTime, String reason) {
        dead(RejectedLine.deadLetter(line.line, reason));
    }

    private void dead(RejectedLine r) {
        dead.inc();
        deadTotal.add(1);
        side(DEAD_LETTERS, r);
    }
}
