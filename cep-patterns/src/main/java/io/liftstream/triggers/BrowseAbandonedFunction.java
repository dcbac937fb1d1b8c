package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the browse_abandoned trigger from a browsing run, anchored on its last view. */
public class BrowseAbandonedFunction extends PatternProcessFunction<ShopperEvent, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    private final long timeoutMillis;

    public BrowseAbandonedFunction(TriggerSettings settings) {
        this.timeoutMillis = settings.browseTimeout.toMillis();
    }

    @Override
    public void processMatch(Map<String, List<ShopperEvent>> match, Context ctx, Collector<TriggerRecord> out) {
        List<ShopperEvent> views = match.get(TriggerPatterns.VIEWS);
        ShopperEvent first = views.get(0);
        ShopperEvent last = views.get(views.size() - 1);
        Set<String> products = new LinkedHashSet<>();
        for (ShopperEvent view : views) {
            if (view.productKey() != null) {
                products.add(view.productKey());
            }
        }
        TriggerContext context = new TriggerContext();
        context.viewCount = views.size();
        context.productIds = products.toArray(new String[0]);
        context.firstViewedAt = first.timestamp;
        context.lastViewedAt = last.timestamp;
        out.collect(TriggerRecord.of(TriggerType.BROWSE_ABANDONED, last.userId, last.messageId,
                last.timestamp + timeoutMillis, ctx.timestamp(), context));
    }
}
