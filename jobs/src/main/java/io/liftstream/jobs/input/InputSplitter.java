package io.liftstream.jobs.input;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.time.Duration;

/**
 * The trigger job's event time: splits parsed lines into good events (main output, at their event
 * time), dead letters and late events (side outputs), and makes the watermarks from the good events
 * ({@link EventTimeSplitOperator}, {@link EventClock}: a line dated more than the maximum future skew
 * ahead is a dead letter with reason {@code future_timestamp} and moves nothing). Counts each in a
 * Flink metric ({@code liftstreamEvents}, {@code liftstreamDeadLetters}, {@code liftstreamLateEvents})
 * and in an accumulator of the same name for end-of-run summaries.
 */
public class InputSplitter extends EventTimeSplitOperator<ParsedLine, ShopperEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<RejectedLine> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    public static final OutputTag<RejectedLine> LATE_EVENTS = new OutputTag<>("late-events") {};

    public static final String EVENTS = "liftstreamEvents";
    public static final String DEAD = "liftstreamDeadLetters";
    public static final String LATE = "liftstreamLateEvents";

    private transient Counter events;
    private transient Counter deadLetters;
    private transient Counter lateEvents;
    private transient LongCounter eventsTotal;
    private transient LongCounter deadTotal;
    private transient LongCounter lateTotal;

    public InputSplitter(Duration outOfOrderness, Duration maxFutureSkew) {
        super(outOfOrderness, maxFutureSkew, TypeInformation.of(ParsedLine.class));
    }

    @Override
    public void open() throws Exception {
        super.open();
        events = getRuntimeContext().getMetricGroup().counter(EVENTS);
        deadLetters = getRuntimeContext().getMetricGroup().counter(DEAD);
        lateEvents = getRuntimeContext().getMetricGroup().counter(LATE);
        eventsTotal = getRuntimeContext().getLongCounter(EVENTS);
        deadTotal = getRuntimeContext().getLongCounter(DEAD);
        lateTotal = getRuntimeContext().getLongCounter(LATE);
    }

    @Override
    protected long eventTime(ParsedLine line) {
        return line.isValid() ? line.event.timestamp : UNTIMED;
    }

    @Override
    protected String owner(ParsedLine line) {
        return line.isValid() ? line.event.userId : null;
    }

    @Override
    protected void untimed(StreamRecord<ParsedLine> record) {
        ParsedLine parsed = record.getValue();
        dead(RejectedLine.deadLetter(null, parsed.line, parsed.lineBytes, parsed.error));
    }

    @Override
    protected void onTime(ParsedLine line, long eventTime) {
        events.inc();
        eventsTotal.add(1);
        emit(line.event, eventTime);
    }

    @Override
    protected void late(ParsedLine line, long eventTime, long watermark) {
        lateEvents.inc();
        lateTotal.add(1);
        side(LATE_EVENTS, RejectedLine.late(line.line, eventTime, watermark));
    }

    @Override
    protected void future(ParsedLine line, long eventTime, String reason) {
        dead(RejectedLine.deadLetter(line.line, reason));
    }

    private void dead(RejectedLine rejected) {
        deadLetters.inc();
        deadTotal.add(1);
        side(DEAD_LETTERS, rejected);
    }
}
