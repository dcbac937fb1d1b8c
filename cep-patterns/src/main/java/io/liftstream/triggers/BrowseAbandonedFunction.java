package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the browse_abandoned trigger: joins each {@link BrowseSilence} (the last view of a browsing
 * run, found by the CEP pattern) with the user's preceding views, in event time, and fires when the
 * run has at least {@code views} views. Anchored on the last view.
 *
 * <p>Input 1 is the user's views, adds and orders; input 2 the silences. A silence waits for an
 * event-time timer at its {@code abandonedAt}; the run is then read backwards from its last view:
 * views less than the timeout apart, up to an add or an order. Ties in event time keep arrival
 * order, the order in which the CEP operator saw them.
 *
 * <p>State and its bounds: the ledger keeps only events that can still belong to a run. A silence
 * ends its run (entries up to its last view go at its timer); an add or an order breaks every run
 * before it (entries up to it go at a timer at its timestamp). Every view ends in one of the two, so
 * the ledger and the pending silences are empty once the watermark passes them.
 */
public class BrowseAbandonedFunction extends KeyedCoProcessFunction<String, ShopperEvent, BrowseSilence, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<ShopperEvent> BY_TIME = Comparator.comparingLong(e -> e.timestamp);

    private final int minViews;
    private final long timeoutMillis;
    private transient ListState<ShopperEvent> ledger;
    private transient ListState<BrowseSilence> pending;

    public BrowseAbandonedFunction(TriggerSettings settings) {
        this.minViews = settings.browseViews;
        this.timeoutMillis = settings.browseTimeout.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        ledger = getRuntimeContext().getListState(new ListStateDescriptor<>("browse-ledger", ShopperEvent.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("browse-silences", BrowseSilence.class));
    }

    @Override
    public void processElement1(ShopperEvent event, Context ctx, Collector<TriggerRecord> out) throws Exception {
        ledger.add(event);
        if (event.type != EventType.PRODUCT_VIEWED) {
            ctx.timerService().registerEventTimeTimer(event.timestamp);
        }
    }

    @Override
    public void processElement2(BrowseSilence silence, Context ctx, Collector<TriggerRecord> out) throws Exception {
        pending.add(silence);
        ctx.timerService().registerEventTimeTimer(silence.abandonedAt);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TriggerRecord> out) throws Exception {
        List<ShopperEvent> entries = new ArrayList<>();
        ledger.get().forEach(entries::add);
        entries.sort(BY_TIME); // stable: ties keep arrival order

        List<BrowseSilence> waiting = new ArrayList<>();
        List<BrowseSilence> due = new ArrayList<>();
        for (BrowseSilence s : pending.get()) {
            (s.abandonedAt <= timestamp ? due : waiting).add(s);
        }
        due.sort(Comparator.comparingLong(s -> s.abandonedAt));
        int prunedUpTo = -1; // entries[0..prunedUpTo] are no longer needed
        for (BrowseSilence s : due) {
            int last = indexOf(entries, s);
            if (last < 0) {
                continue;
            }
            List<ShopperEvent> views = runEndingAt(entries, last, timeoutMillis);
            if (views.size() >= minViews) {
                out.collect(trigger(s, views));
            }
            prunedUpTo = Math.max(prunedUpTo, last);
        }
        for (int i = entries.size() - 1; i > prunedUpTo; i--) {
            ShopperEvent e = entries.get(i);
            if (e.type != EventType.PRODUCT_VIEWED && e.timestamp <= timestamp) {
                prunedUpTo = i;
                break;
            }
        }
        if (!due.isEmpty()) {
            replace(pending, waiting);
        }
        replace(ledger, new ArrayList<>(entries.subList(prunedUpTo + 1, entries.size())));
    }

    /** The position of the silence's last view among the time-ordered entries, or -1. */
    private static int indexOf(List<ShopperEvent> entries, BrowseSilence s) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            ShopperEvent e = entries.get(i);
            if (e.timestamp == s.lastViewedAt && e.type == EventType.PRODUCT_VIEWED
                    && Objects.equals(e.messageId, s.anchorMessageId)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The views of the run ending with the view at {@code last}, in time order: going back while
     * views are less than {@code timeoutMillis} apart, stopping at an add or an order.
     */
    static List<ShopperEvent> runEndingAt(List<ShopperEvent> entries, int last, long timeoutMillis) {
        List<ShopperEvent> views = new ArrayList<>();
        ShopperEvent next = entries.get(last);
        views.add(next);
        for (int i = last - 1; i >= 0; i--) {
            ShopperEvent e = entries.get(i);
            if (e.type != EventType.PRODUCT_VIEWED || next.timestamp - e.timestamp >= timeoutMillis) {
                break;
            }
            views.add(0, e);
            next = e;
        }
        return views;
    }

    private static TriggerRecord trigger(BrowseSilence s, List<ShopperEvent> views) {
        Set<String> products = new LinkedHashSet<>();
        for (ShopperEvent view : views) {
            if (view.productKey() != null) {
                products.add(view.productKey());
            }
        }
        TriggerContext context = new TriggerContext();
        context.viewCount = views.size();
        context.productIds = products.toArray(new String[0]);
        context.firstViewedAt = views.get(0).timestamp;
        context.lastViewedAt = s.lastViewedAt;
        return TriggerRecord.of(TriggerType.BROWSE_ABANDONED, s.userId, s.anchorMessageId, s.abandonedAt,
                s.detectionClock, context);
    }

    private static <T> void replace(ListState<T> state, List<T> values) throws Exception {
        if (values.isEmpty()) {
            state.clear();
        } else {
            state.update(values);
        }
    }
}
