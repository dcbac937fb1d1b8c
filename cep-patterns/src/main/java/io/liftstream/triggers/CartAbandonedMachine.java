package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * cart_abandoned as a state machine ({@link OrderedTrigger}) over the user's adds, removals and orders:
 * the same triggers as {@link TriggerPatterns#cartAbandoned} joined with the cart by {@link
 * CartContextFunction}, without the CEP operator's RocksDB map-state scans (BENCHMARKS.md).
 *
 * <p>In each user's event-time order: every Product Added opens a silence anchored on it (closing the
 * previous one); another add or an Order Completed closes it without a trigger. When time reaches the
 * anchor + {@code timeout} (an event at exactly that instant does not prevent it), the silence fires
 * with the cart at that instant, {@link CartLedger#cartAt}, over the same events the join's ledger
 * would hold then: the cart events after the last order and not older than the cart retention. A cart
 * emptied by removals fires nothing.
 *
 * <p>Progress: the open silence's anchor, the last order's time, and the ledger (cart events after the
 * last order, pruned to the retention as time passes); idle when no silence is open and the ledger is
 * empty.
 */
public final class CartAbandonedMachine implements OrderedTrigger<CartAbandonedMachine.CartProgress> {
    private static final long serialVersionUID = 1L;

    /** Per-user progress. A Flink POJO. */
    public static class CartProgress {
        /** The open silence's anchor (the last add), or null when none is open. */
        public String anchorMessageId;
        public long anchorAt = NONE;
        public long lastOrderAt = NONE;
        /** Adds and removals after {@link #lastOrderAt}, in event-time order; {@link #ledgerSize} in use. */
        public ShopperEvent[] ledger = new ShopperEvent[0];
        public int ledgerSize;

        public CartProgress() {}
    }

    private final long timeoutMillis;
    private final long retentionMillis;

    public CartAbandonedMachine(TriggerSettings settings) {
        this.timeoutMillis = settings.cartTimeout.toMillis();
        this.retentionMillis = settings.cartRetention.toMillis();
    }

    @Override
    public boolean reads(EventType type) {
        return type == EventType.PRODUCT_ADDED || type == EventType.PRODUCT_REMOVED || type == EventType.ORDER_COMPLETED;
    }

    @Override
    public CartProgress start() {
        return new CartProgress();
    }

    @Override
    public void advance(CartProgress p, long now, String user, Collector<TriggerRecord> out) {
        if (p.anchorMessageId != null && now - p.anchorAt >= timeoutMillis) {
            long abandonedAt = p.anchorAt + timeoutMillis;
            TriggerContext cart = CartLedger.cartAt(window(p, abandonedAt - retentionMillis), abandonedAt);
            if (cart.itemCount > 0) {
                out.collect(TriggerRecord.of(TriggerType.CART_ABANDONED, user, p.anchorMessageId, abandonedAt, now, cart));
            }
            p.anchorMessageId = null;
            p.anchorAt = NONE;
        }
        prune(p, now - retentionMillis);
    }

    @Override
    public void process(CartProgress p, BufferedEvent event, String user, Collector<TriggerRecord> out) {
        switch (event.type) {
            case ORDER_COMPLETED -> {
                p.anchorMessageId = null;
                p.anchorAt = NONE;
                p.lastOrderAt = event.timestamp;
                p.ledger = new ShopperEvent[0];
                p.ledgerSize = 0;
            }
            case PRODUCT_ADDED -> {
                p.anchorMessageId = event.messageId;
                p.anchorAt = event.timestamp;
                record(p, event);
            }
            default -> record(p, event); // a removal changes the cart, not the silence
        }
    }

    @Override
    public long nextDeadline(CartProgress p) {
        long prune = p.ledgerSize == 0 ? NONE : p.ledger[0].timestamp + retentionMillis + 1;
        if (p.anchorMessageId == null) {
            return prune;
        }
        long fire = p.anchorAt + timeoutMillis;
        return prune == NONE ? fire : Math.min(fire, prune);
    }

    @Override
    public boolean isIdle(CartProgress p) {
        return p.anchorMessageId == null && p.ledgerSize == 0;
    }

    /** An event at the same millisecond as the last order counts as part of that order, as in the ledger. */
    private static void record(CartProgress p, BufferedEvent event) {
        if (event.timestamp <= p.lastOrderAt) {
            return;
        }
        if (p.ledgerSize == p.ledger.length) {
            p.ledger = Arrays.copyOf(p.ledger, Math.max(4, 2 * p.ledger.length));
        }
        p.ledger[p.ledgerSize++] = event.detail;
    }

    /** The ledger entries at or after {@code from}. */
    private static List<ShopperEvent> window(CartProgress p, long from) {
        List<ShopperEvent> entries = new ArrayList<>(p.ledgerSize);
        for (int i = 0; i < p.ledgerSize; i++) {
            if (p.ledger[i].timestamp >= from) {
                entries.add(p.ledger[i]);
            }
        }
        return entries;
    }

    /** Drops the entries before {@code horizon}: no silence that can still fire looks back that far. */
    private static void prune(CartProgress p, long horizon) {
        int drop = 0;
        while (drop < p.ledgerSize && p.ledger[drop].timestamp < horizon) {
            drop++;
        }
        if (drop > 0) {
            p.ledger = Arrays.copyOfRange(p.ledger, drop, p.ledgerSize);
            p.ledgerSize -= drop;
        }
    }
}
