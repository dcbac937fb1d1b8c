package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Map;

/** Turns a browse_abandoned match (the last view of a browsing run) into a {@link BrowseSilence}. */
public class BrowseSilenceFunction extends PatternProcessFunction<ShopperEvent, BrowseSilence> {
    private static final long serialVersionUID = 1L;

    private final long timeoutMillis;

    public BrowseSilenceFunction(TriggerSettings settings) {
        this.timeoutMillis = settings.browseTimeout.toMillis();
    }

    @Override
    public void processMatch(Map<String, List<ShopperEvent>> match, Context ctx, Collector<BrowseSilence> out) {
        ShopperEvent view = match.get(TriggerPatterns.LAST_VIEW).get(0);
        out.collect(new BrowseSilence(view.userId, view.messageId, view.timestamp, view.timestamp + timeoutMillis,
                ctx.timestamp()));
    }
}
