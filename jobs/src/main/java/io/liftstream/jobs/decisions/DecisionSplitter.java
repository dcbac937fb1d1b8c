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
 * job ({@link EventTimeSplitOperator}): a request, trigger or outcome at or below its stream's
 * watermark would be joined with state that has already moved past it, so it is a dead letter
 * ("late"); a line more than the maximum future skew ahead is one with reason {@code
 * future_timestamp} and moves nothing.
 *
 * <p>Two kinds are never late. A control event is a fact about the user that must not be lost (an
 * opt-out dropped as late would let the user be treated): it goes on, counted as late-applied
 * ({@code liftstreamDecideLateApplied}), and the decision operator applies it from its own
 * timestamp to every item of the user still waiting there (decisions already out are not
 * retracted). A definition's timestamp is when it takes effect, not when it happened: the
 * experiments stream makes no watermark and the future rule is not its ({@link #makesWatermarks()}).
 */
public class DecisionSplitter extends EventTimeSplitOperator<DecisionLine, DecisionLine> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<RejectedLine> DEAD_LETTERS = new OutputTag<>("decide-input-dead-letters", Types.POJO(RejectedLine.class));
    public static final String LINES = "liftstreamDecideLines";
    public static final String DEAD = "liftstreamDecideDeadLetters";
    /** Control lines behind their stream's watermark, passed on all the same. */
    public static final String LATE_APPLIED = "liftstreamDecideLateApplied";

    private final boolean definitions;

    private transient Counter lines;
    private transient Counter dead;
    private transient Counter lateApplied;

    /** @param stream the input stream's name in {@link DecisionLineParser} */
    public DecisionSplitter(String stream, Duration outOfOrderness, Duration maxFutureSkew) {
        super(outOfOrderness, maxFutureSkew, Types.POJO(DecisionLine.class));
        this.definitions = DecisionLineParser.EXPERIMENTS.equals(stream);
    }

    @Override
    public void open() throws Exception {
        super.open();
        lines = getRuntimeContext().getMetricGroup().counter(LINES);
        dead = getRuntimeContext().getMetricGroup().counter(DEAD);
        lateApplied = getRuntimeContext().getMetricGroup().counter(LATE_APPLIED);
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
        return !definitions;
    }

    /** The experiments stream makes no watermark: a change scheduled ahead must not delay an earlier one. */
    @Override
    protected boolean makesWatermarks() {
        return !definitions;
    }

    @Override
    protected String owner(DecisionLine line) {
        return line.item != null ? line.item.userId : null;
    }

    @Override
    protected void untimed(StreamRecord<DecisionLine> record) {
        DecisionLine line = record.getValue();
        if (!line.isValid()) {
            reject(RejectedLine.deadLetter(line.stream, line.line, line.lineBytes, line.error));
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
        if (line.item != null && line.item.kind == UserItem.CONTROL) {
            lateApplied.inc();
            getRuntimeContext().getLongCounter(LATE_APPLIED).add(1);
            emit(line, eventTime);
            return;
        }
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
