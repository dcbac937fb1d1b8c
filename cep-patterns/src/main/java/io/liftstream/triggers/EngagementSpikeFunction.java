package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Map;

/** Builds an engagement_spike candidate, anchored on the event that completed the count. */
public class EngagementSpikeFunction extends PatternProcessFunction<ShopperEvent, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processMatch(Map<String, List<ShopperEvent>> match, Context ctx, Collector<TriggerRecord> out) {
        List<ShopperEvent> burst = match.get(TriggerPatterns.BURST);
        ShopperEvent first = burst.get(0);
        ShopperEvent last = burst.get(burst.size() - 1);
        TriggerContext context = new TriggerContext();
        context.eventCount = burst.size();
        context.windowStart = first.timestamp;
        context.windowEnd = last.timestamp;
        out.collect(TriggerRecord.of(TriggerType.ENGAGEMENT_SPIKE, last.userId, last.messageId, last.timestamp,
                ctx.timestamp(), context));
    }
}
