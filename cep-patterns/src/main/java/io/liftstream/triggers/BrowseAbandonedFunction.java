package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the browse_abandoned trigger: joins each browse silence (the last view of a browsing run,
 * found by the CEP pattern) with the user's preceding views, and fires when the run has at least
 * {@code views} views: views less than the timeout apart, back to an add or an order. Anchored on
 * the last view.
 *
 * <p>Ledger bounds: a silence ends its run (entries up to its last view go at its timer); an add or
 * an order breaks every run before it (entries up to it go at a timer at its timestamp). Every view
 * ends in one of the two, so the ledger is empty once the watermark passes them.
 */
public class BrowseAbandonedFunction extends SilenceJoinFunction {
    private static final long serialVersionUID = 1L;

    private final int minViews;
    private final long timeoutMillis;

    public BrowseAbandonedFunction(TriggerSettings settings) {
        super("browse");
        this.minViews = settings.browseViews;
        this.timeoutMillis = settings.browseTimeout.toMillis();
    }

    @Override
    protected void fire(List<ShopperEvent> ledger, Silence s, Collector<TriggerRecord> out) {
        int last = indexOf(ledger, s);
        if (last < 0) {
            return;
        }
        List<ShopperEvent> views = runEndingAt(ledger, last, timeoutMillis);
        if (views.size() >= minViews) {
            out.collect(trigger(s, views));
        }
    }

    @Override
    protected Long cleanupTimer(ShopperEvent event) {
        return event.type == EventType.PRODUCT_VIEWED ? null : event.timestamp;
    }

    @Override
    protected List<ShopperEvent> retained(List<ShopperEvent> ledger, long now, List<Silence> fired) {
        int prunedUpTo = -1; // ledger[0..prunedUpTo] is no longer needed
        for (Silence s : fired) {
            prunedUpTo = Math.max(prunedUpTo, indexOf(ledger, s));
        }
        for (int i = ledger.size() - 1; i > prunedUpTo; i--) {
            ShopperEvent e = ledger.get(i);
            if (e.type != EventType.PRODUCT_VIEWED && e.timestamp <= now) {
                prunedUpTo = i;
                break;
            }
        }
        return new ArrayList<>(ledger.subList(prunedUpTo + 1, ledger.size()));
    }

    /** The position of the silence's last view among the time-ordered entries, or -1. */
    private static int indexOf(List<ShopperEvent> ledger, Silence s) {
        for (int i = ledger.size() - 1; i >= 0; i--) {
            ShopperEvent e = ledger.get(i);
            if (e.timestamp == s.lastEventAt && e.type == EventType.PRODUCT_VIEWED
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
    static List<ShopperEvent> runEndingAt(List<ShopperEvent> ledger, int last, long timeoutMillis) {
        List<ShopperEvent> views = new ArrayList<>();
        ShopperEvent next = ledger.get(last);
        views.add(next);
        for (int i = last - 1; i >= 0; i--) {
            ShopperEvent e = ledger.get(i);
            if (e.type != EventType.PRODUCT_VIEWED || next.timestamp - e.timestamp >= timeoutMillis) {
                break;
            }
            views.add(0, e);
            next = e;
        }
        return views;
    }

    private static TriggerRecord trigger(Silence s, List<ShopperEvent> views) {
        Set<String> products = new LinkedHashSet<>();
        for (ShopperEvent view : views) {
            if (view.productKey() != null) {
                products.add(view.productKey());
            }
        }
        TriggerContext context = new TriggerContext();
        context.viewCount = views.size();
        String[] all = products.toArray(new String[0]);
        context.productIds = all.length <= TriggerContext.MAX_LISTED ? all : Arrays.copyOf(all, TriggerContext.MAX_LISTED);
        if (all.length > TriggerContext.MAX_LISTED) {
            context.productIdsTruncated = true;
        }
        context.firstViewedAt = views.get(0).timestamp;
        context.lastViewedAt = s.lastEventAt;
        return TriggerRecord.of(TriggerType.BROWSE_ABANDONED, s.userId, s.anchorMessageId, s.abandonedAt,
                s.detectionClock, context);
    }
}
