package io.liftstream.triggers;

import io.liftstream.events.EventType;

import org.apache.flink.util.Collector;

import java.util.Arrays;

/**
 * browse_abandoned as a state machine ({@link OrderedTrigger}) over the user's views, adds and orders:
 * the same triggers as {@link TriggerPatterns#browseAbandoned} joined by {@link
 * BrowseAbandonedFunction}, at a fraction of the cost (DESIGN.md, BENCHMARKS.md).
 *
 * <p>In each user's event-time order: a browsing run is a sequence of Product Viewed less than {@code
 * timeout} apart with no Product Added or Order Completed among them. When time reaches the last view +
 * {@code timeout} (an event at exactly that instant does not prevent it), the run is abandoned and fires
 * if it has at least {@code views} views, anchored on the last view, at last view + timeout. An add or
 * an order before that ends the run without a trigger.
 *
 * <p>Progress: the open run (view count, first and last view, the first {@link TriggerContext#MAX_LISTED}
 * distinct products in order of first view); idle when no run is open.
 */
public final class BrowseAbandonedMachine implements OrderedTrigger<BrowseAbandonedMachine.BrowseRun> {
    private static final long serialVersionUID = 1L;

    /** Per-user progress: the open browsing run, if {@link #views} is positive. A Flink POJO. */
    public static class BrowseRun {
        public int views;
        public long firstViewAt;
        public long lastViewAt;
        public String lastViewMessageId;
        /**
         * The first distinct product keys viewed, in order of first view; {@link #productCount} are in
         * use, at most {@link TriggerContext#MAX_LISTED}, so a bot's run keeps small state.
         */
        public String[] products = new String[0];
        public int productCount;
        /** True once a distinct product beyond the listed ones was viewed. */
        public boolean productsTruncated;

        public BrowseRun() {}
    }

    private final int minViews;
    private final long timeoutMillis;

    public BrowseAbandonedMachine(TriggerSettings settings) {
        this.minViews = settings.browseViews;
        this.timeoutMillis = settings.browseTimeout.toMillis();
    }

    @Override
    public boolean reads(EventType type) {
        return type == EventType.PRODUCT_VIEWED || type == EventType.PRODUCT_ADDED || type == EventType.ORDER_COMPLETED;
    }

    @Override
    public BrowseRun start() {
        return new BrowseRun();
    }

    @Override
    public void advance(BrowseRun run, long now, String user, Collector<TriggerRecord> out) {
        if (run.views == 0 || now - run.lastViewAt < timeoutMillis) {
            return;
        }
        if (run.views >= minViews) {
            TriggerContext context = new TriggerContext();
            context.viewCount = run.views;
            context.productIds = Arrays.copyOf(run.products, run.productCount);
            if (run.productsTruncated) {
                context.productIdsTruncated = true;
            }
            context.firstViewedAt = run.firstViewAt;
            context.lastViewedAt = run.lastViewAt;
            out.collect(TriggerRecord.of(TriggerType.BROWSE_ABANDONED, user, run.lastViewMessageId,
                    run.lastViewAt + timeoutMillis, now, context));
        }
        reset(run);
    }

    @Override
    public void process(BrowseRun run, BufferedEvent event, String user, Collector<TriggerRecord> out) {
        if (event.type != EventType.PRODUCT_VIEWED) {
            reset(run); // an add or an order breaks the run
            return;
        }
        if (run.views == 0) {
            run.firstViewAt = event.timestamp;
        }
        run.views++;
        run.lastViewAt = event.timestamp;
        run.lastViewMessageId = event.messageId;
        if (event.product != null && !contains(run, event.product)) {
            if (run.productCount == TriggerContext.MAX_LISTED) {
                run.productsTruncated = true;
                return;
            }
            if (run.productCount == run.products.length) {
                run.products = Arrays.copyOf(run.products, Math.max(4, 2 * run.products.length));
            }
            run.products[run.productCount++] = event.product;
        }
    }

    @Override
    public long nextDeadline(BrowseRun run) {
        return run.views == 0 ? NONE : run.lastViewAt + timeoutMillis;
    }

    @Override
    public boolean isIdle(BrowseRun run) {
        return run.views == 0;
    }

    private static boolean contains(BrowseRun run, String product) {
        for (int i = 0; i < run.productCount; i++) {
            if (run.products[i].equals(product)) {
                return true;
            }
        }
        return false;
    }

    private static void reset(BrowseRun run) {
        run.views = 0;
        run.productCount = 0;
        run.products = new String[0];
        run.productsTruncated = false;
        run.lastViewMessageId = null;
    }
}
