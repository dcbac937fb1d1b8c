package io.liftstream.jobs.results;

import io.liftstream.jobs.input.EventTimeSplitOperator;
import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.time.Duration;

/**
 * Definitions after parsing: a valid one leaves with the time it takes effect (its element
 * timestamp: the definition's {@code timestamp}, else the Kafka record's, else the beginning of
 * time); an invalid one is dead-lettered and counted, and the experiment keeps its previous version.
 * A definition is never late: one behind the stream takes effect when it arrives. Definitions may be
 * scheduled ahead on purpose, so the future rule does not apply to them, and they make no watermark
 * ({@link EventTimeSplitOperator#makesWatermarks()}): the definitions hold event time back until they
 * end (files) or idle (Kafka), as in the decision job.
 */
public class DefinitionSplitter extends EventTimeSplitOperator<ResultsLine, DefinitionVersion> {
    private static final long serialVersionUID = 1L;

    public static final String DEFINITIONS = "liftstreamResultsDefinitions";

    private transient Counter good;
    private transient Counter dead;
    private transient LongCounter goodTotal;
    private transient LongCounter deadTotal;

    public DefinitionSplitter(Duration outOfOrderness, Duration maxFutureSkew) {
        super(outOfOrderness, maxFutureSkew, TypeInformation.of(ResultsLine.class));
    }

    @Override
    public void open() throws Exception {
        super.open();
        good = getRuntimeContext().getMetricGroup().counter(DEFINITIONS);
        dead = getRuntimeContext().getMetricGroup().counter(InputSplitter.DEAD);
        goodTotal = getRuntimeContext().getLongCounter(DEFINITIONS);
        deadTotal = getRuntimeContext().getLongCounter(InputSplitter.DEAD);
    }

    @Override
    protected long eventTime(ResultsLine line) {
        return line.definition != null && line.definitionTime != null ? line.definitionTime : UNTIMED;
    }

    @Override
    protected boolean futureRuleApplies(ResultsLine line) {
        return false;
    }

    /** No watermark from definitions: a change scheduled ahead must not delay an earlier one (see the base class). */
    @Override
    protected boolean makesWatermarks() {
        return false;
    }

    @Override
    protected void untimed(StreamRecord<ResultsLine> record) {
        ResultsLine line = record.getValue();
        if (line.definition == null) {
            dead.inc();
            deadTotal.add(1);
            side(ResultsSplitter.DEAD_LETTERS,
                    RejectedLine.deadLetter(null, line.line, line.lineBytes, line.error != null ? line.error : "invalid_definition"));
            return;
        }
        long time = record.hasTimestamp() ? record.getTimestamp() : Long.MIN_VALUE;
        DefinitionVersion v = line.definition;
        good.inc();
        goodTotal.add(1);
        emitAsIs(record, new DefinitionVersion(v.experimentId, time, v.json));
    }

    @Override
    protected void onTime(ResultsLine line, long eventTime) {
        good.inc();
        goodTotal.add(1);
        emit(new DefinitionVersion(line.definition.experimentId, eventTime, line.definition.json), eventTime);
    }

    /** Never late: it takes effect when it arrives, at its own time. */
    @Override
    protected void late(ResultsLine line, long eventTime, long watermark) {
        onTime(line, eventTime);
    }

    @Override
    protected void future(ResultsLine line, long eventTime, String reason) {
        onTime(line, eventTime); // unreachable: the future rule does not apply to definitions
    }
}
