package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure cart arithmetic over a user's cart events (Product Added, Product Removed, Order Completed),
 * independent of the order in which they arrived.
 *
 * <p>The cart at instant {@code t} holds the products added after the user's last Order Completed
 * before {@code t}, minus those removed, counting only events strictly before {@code t}. An event at
 * the same millisecond as an Order Completed counts as part of that order. A removal with a {@code
 * quantity} removes that many units; without one it removes the whole line. A line's price is the
 * one of its latest add.
 */
public final class CartLedger {
    private CartLedger() {}

    private static final Comparator<ShopperEvent> BY_TIME = Comparator.comparingLong(e -> e.timestamp);

    /** The cart at {@code instant}; empty when nothing is left in it. */
    public static TriggerContext cartAt(Iterable<ShopperEvent> ledger, long instant) {
        List<ShopperEvent> events = new ArrayList<>();
        long lastOrder = Long.MIN_VALUE;
        for (ShopperEvent e : ledger) {
            if (e.timestamp < instant) {
                events.add(e);
                if (e.type == EventType.ORDER_COMPLETED) {
                    lastOrder = Math.max(lastOrder, e.timestamp);
                }
            }
        }
        events.sort(BY_TIME); // stable: ties keep arrival order, which cannot change quantities' sums
        Map<String, CartLine> lines = new LinkedHashMap<>();
        String currency = null;
        String cartId = null;
        Long firstAdd = null;
        Long lastAdd = null;
        for (ShopperEvent e : events) {
            if (e.timestamp <= lastOrder) {
                continue;
            }
            String key = e.productKey() == null ? "" : e.productKey();
            if (e.type == EventType.PRODUCT_ADDED) {
                int quantity = e.quantity == null ? 1 : e.quantity;
                CartLine line = lines.computeIfAbsent(key, k -> new CartLine(e.productId, e.sku, 0, null));
                line.quantity += quantity;
                if (e.price != null) {
                    line.price = e.price;
                }
                if (e.currency != null) {
                    currency = e.currency;
                }
                if (e.cartId != null) {
                    cartId = e.cartId;
                }
                firstAdd = firstAdd == null ? e.timestamp : firstAdd;
                lastAdd = e.timestamp;
            } else if (e.type == EventType.PRODUCT_REMOVED) {
                CartLine line = lines.get(key);
                if (line != null) {
                    line.quantity = e.quantity == null ? 0 : line.quantity - e.quantity;
                }
            }
            lines.values().removeIf(l -> l.quantity <= 0);
        }
        TriggerContext cart = new TriggerContext();
        CartLine[] all = lines.values().toArray(new CartLine[0]);
        cart.items = listed(all);
        if (cart.items.length < all.length) {
            cart.itemsTruncated = true;
            cart.lineCount = all.length;
        }
        int count = 0;
        double value = 0;
        boolean priced = false;
        for (CartLine line : all) {
            count += line.quantity;
            if (line.price != null) {
                value += line.price * line.quantity;
                priced = true;
            }
        }
        cart.itemCount = count;
        cart.value = priced ? Math.round(value * 1e6) / 1e6 : null;
        cart.currency = currency;
        cart.cartId = cartId;
        cart.firstAddedAt = firstAdd;
        cart.lastAddedAt = lastAdd;
        return cart;
    }

    /**
     * The lines a trigger lists: all of them up to {@link TriggerContext#MAX_LISTED}; beyond, the
     * highest-value ones (price × quantity, unpriced lines last, ties by order of first add), kept in
     * order of first add. Counts and value are always those of the whole cart.
     */
    static CartLine[] listed(CartLine[] all) {
        if (all.length <= TriggerContext.MAX_LISTED) {
            return all;
        }
        Integer[] order = new Integer[all.length];
        for (int i = 0; i < all.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -lineValue(all[i])).thenComparingInt(i -> i));
        boolean[] keep = new boolean[all.length];
        for (int k = 0; k < TriggerContext.MAX_LISTED; k++) {
            keep[order[k]] = true;
        }
        CartLine[] listed = new CartLine[TriggerContext.MAX_LISTED];
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if (keep[i]) {
                listed[n++] = all[i];
            }
        }
        return listed;
    }

    private static double lineValue(CartLine line) {
        return line.price == null ? -1 : line.price * line.quantity;
    }

    /**
     * The ledger entries still needed once event time has reached {@code now}: those after the last
     * Order Completed at or before {@code now}, and not older than {@code retentionMillis}.
     */
    public static List<ShopperEvent> retained(Iterable<ShopperEvent> ledger, long now, long retentionMillis) {
        long lastOrder = Long.MIN_VALUE;
        for (ShopperEvent e : ledger) {
            if (e.type == EventType.ORDER_COMPLETED && e.timestamp <= now) {
                lastOrder = Math.max(lastOrder, e.timestamp);
            }
        }
        long horizon = Math.max(lastOrder, now - retentionMillis);
        List<ShopperEvent> kept = new ArrayList<>();
        for (ShopperEvent e : ledger) {
            if (e.timestamp > horizon) {
                kept.add(e);
            }
        }
        return kept;
    }
}
