package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * In front of the CEP patterns (engine {@link TriggerEngine#CEP}): an event at or below the
 * watermark here is one Flink's CEP operator would drop without a trace, so it leaves on {@link
 * KeyedTriggersOperator#LATE_EVENTS} instead, counted as {@link KeyedTriggersOperator#LATE}, exactly
 * as the keyed engine does. Chained right before the patterns (forward edges), it sees the watermark
 * they see, so every event it passes is on time for them. Reachable when an idle input comes back
 * below the others' watermark. Stateless.
 */
public class CepLateGuard extends KeyedProcessFunction<String, ShopperEvent, ShopperEvent> {
    private static final long serialVersionUID = 1L;

    private transient Counter lateEvents;
    private transient LongCounter lateTotal;

    @Override
    public void open(OpenContext openContext) {
        lateEvents = getRuntimeContext().getMetricGroup().counter(KeyedTriggersOperator.LATE);
        lateTotal = getRuntimeContext().getLongCounter(KeyedTriggersOperator.LATE);
    }

    @Override
    public void processElement(ShopperEvent event, Context ctx, Collector<ShopperEvent> out) {
        long watermark = ctx.timerService().currentWatermark();
        if (event.timestamp <= watermark) {
            lateEvents.inc();
            lateTotal.add(1);
            ctx.output(KeyedTriggersOperator.LATE_EVENTS, new LateEvent(event, watermark));
            return;
        }
        out.collect(event);
    }
}
