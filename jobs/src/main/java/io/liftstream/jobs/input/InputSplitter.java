package io.liftstream.jobs.input;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits parsed lines into good events (main output), dead letters and late events (side outputs),
 * counting each in a Flink metric ({@code liftstreamEvents}, {@code liftstreamDeadLetters}, {@code
 * liftstreamLateEvents}) and in an accumulator of the same name for end-of-run summaries.
 *
 * <p>Sits right behind the watermark assignment, in the same chain, so it sees the watermark that
 * the downstream patterns will see: an event at or below it would be dropped by CEP, so it is
 * published as late instead of silently lost.
 */
public class InputSplitter extends ProcessFunction<ParsedLine, ShopperEvent> {
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

    @Override
    public void open(OpenContext openContext) {
        events = getRuntimeContext().getMetricGroup().counter(EVENTS);
        deadLetters = getRuntimeContext().getMetricGroup().counter(DEAD);
        lateEvents = getRuntimeContext().getMetricGroup().counter(LATE);
        eventsTotal = getRuntimeContext().getLongCounter(EVENTS);
        deadTotal = getRuntimeContext().getLongCounter(DEAD);
        lateTotal = getRuntimeContext().getLongCounter(LATE);
    }

    @Override
    public void processElement(ParsedLine parsed, Context ctx, Collector<ShopperEvent> out) {
        if (!parsed.isValid()) {
            deadLetters.inc();
            deadTotal.add(1);
            ctx.output(DEAD_LETTERS, RejectedLine.deadLetter(null, parsed.line, parsed.lineBytes, parsed.error));
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (parsed.event.timestamp <= watermark) {
            lateEvents.inc();
            lateTotal.add(1);
            ctx.output(LATE_EVENTS, RejectedLine.late(parsed.line, parsed.event.timestamp, watermark));
            return;
        }
        events.inc();
        eventsTotal.add(1);
        out.collect(parsed.event);
    }
}
