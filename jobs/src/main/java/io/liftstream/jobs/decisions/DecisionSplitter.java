package io.liftstream.jobs.decisions;

import io.liftstream.jobs.input.EventTimeSplitOperator;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.time.Duration;

/**
 * One input stream of the decision job and its event time: good lines on the main output (at their
 * event time); bad, late and future-dated lines on {@link #DEAD_LETTERS} with their reason and
 * stream, counted ({@code liftstreamDecideLines}, {@code liftstreamDecideDeadLetters}, as metrics
 * and accumulators). Lateness and the future rule follow the stream's own order, as for the trigger
 * job ({@link EventTimeSplitOperator}): a line at or below its stream's watermark would be joined
 * with state that has already moved past it, so it is a dead letter ("late"); a line more than the
 * maximum future skew ahead is one with reason {@code future_timestamp} and moves nothing
 * (definitions excepted: they may be scheduled ahead). Untimed definitions are never late and keep
 * the record's own timestamp.
 */
public class DecisionSplitter extends EventTimeSplitOperator<DecisionLine, DecisionLine> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<RejectedLine> DEAD_LETTERS = new OutputTag<>("decide-input-dead-letters", Types.POJO(RejectedLine.class));
    public static final String LINES = "liftstreamDecideLines";
    public static final String DEAD = "liftstreamDecideDeadLetters";

    private transient Counter lines;
    private transient Counter dead;

    public DecisionSplitter(Duration outOfOrderness, Duration maxFutureSkew) {
        super(outOfOrderness, maxFutureSkew, Types.POJO(DecisionLine.class));
    }

    @Override
    public void open() throws Exception {
        super.open();
        lines = getRuntimeContext().getMetricGroup().counter(LINES);
        dead = getRuntimeContext().getMetricGroup().counter(DEAD);
    }

    @Override
    public void processElement(StreamRecord<DecisionLine> record) throws Exception {
        lines.inc();
        getRuntimeContext().getLongCounter(LINES).add(1);
        super.processElement(record);
    }

    @Override
    protected long eventTime(DecisionLine line) {
        return line.isValid() && line.time != DecisionLine.UNTIMED ? line.time : UNTIMED;
    }

    /** Definitions may be scheduled ahead on purpose ("stop at +7 d"): the future rule is not theirs. */
    @Override
    protected boolean futureRuleApplies(DecisionLine line) {
        return !DecisionLineParser.EXPERIMENTS.equals(line.stream);
    }

    @Override
    protected void untimed(StreamRecord<DecisionLine> record) {
        DecisionLine line = record.getValue();
        if (!line.isValid()) {
            reject(RejectedLine.deadLetter(line.stream, line.line, line.error));
            return;
        }
        emitAsIs(record, line);
    }

    @Override
    protected void onTime(DecisionLine line, long eventTime) {
        emit(line, eventTime);
    }

    @Override
    protected void late(DecisionLine line, long eventTime, long watermark) {
        RejectedLine late = RejectedLine.late(line.line, eventTime, watermark);
        late.stream = line.stream;
        reject(late);
    }

    @Override
    protected void future(DecisionLine line, long eventTime, String reason) {
        reject(RejectedLine.deadLetter(line.stream, line.line, reason));
    }

    private void reject(RejectedLine r) {
        dead.inc();
        getRuntimeContext().getLongCounter(DEAD).add(1);
        side(DEAD_LETTERS, r);
    }
}
