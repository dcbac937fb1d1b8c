package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import java.time.Duration;
import java.time.Instant;

/**
 * Named instants and event factories shared by the trigger tests. Event times are fixed epoch
 * milliseconds (no wall clock); message ids are derived from user, event type and time, so they are
 * deterministic and distinct as long as a test never sends two events of one type for one user at
 * the same millisecond.
 */
final class TriggerFixtures {
    private TriggerFixtures() {}

    static final long MINUTE = Duration.ofMinutes(1).toMillis();
    static final long HOUR = Duration.ofHours(1).toMillis();
    static final long DAY = Duration.ofDays(1).toMillis();

    /** Saturday 1 March 2025, 10:00 UTC. */
    static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
    static final long T0_PLUS_1M = T0 + MINUTE;
    static final long T0_PLUS_2M = T0 + 2 * MINUTE;
    static final long T0_PLUS_3M = T0 + 3 * MINUTE;
    static final long T0_PLUS_4M = T0 + 4 * MINUTE;
    static final long T0_PLUS_5M = T0 + 5 * MINUTE;
    static final long T0_PLUS_10M = T0 + 10 * MINUTE;
    static final long T0_PLUS_20M = T0 + 20 * MINUTE;
    static final long T0_PLUS_29M = T0 + 29 * MINUTE;
    static final long T0_PLUS_30M = T0 + 30 * MINUTE;
    static final long T0_PLUS_40M = T0 + 40 * MINUTE;
    static final long T0_PLUS_60M = T0 + 60 * MINUTE;
    static final long T0_PLUS_80M = T0 + 80 * MINUTE;
    static final long T0_PLUS_2H = T0 + 2 * HOUR;
    static final long T0_PLUS_1D = T0 + DAY;
    /** The default cart retention (30 days) after T0. */
    static final long T0_PLUS_30D = T0 + 30 * DAY;

    static final String ALICE = "alice";
    static final String BOB = "bob";

    /** The defaults: cart 30 min (retention 30 d), checkout 60 min, browse 3 views / 30 min, spike 20 / 5 min. */
    static TriggerSettings defaults() {
        return TriggerSettings.defaults();
    }

    static ShopperEvent productAdded(String user, long t, String product, double price, int quantity) {
        ShopperEvent e = event(user, t, EventType.PRODUCT_ADDED);
        e.productId = product;
        e.price = price;
        e.quantity = quantity;
        e.currency = "EUR";
        e.cartId = "cart-" + user;
        return e;
    }

    /** A removal of {@code quantity} units. */
    static ShopperEvent productRemoved(String user, long t, String product, int quantity) {
        ShopperEvent e = event(user, t, EventType.PRODUCT_REMOVED);
        e.productId = product;
        e.quantity = quantity;
        return e;
    }

    /** A removal without a quantity: the whole line goes. */
    static ShopperEvent productRemoved(String user, long t, String product) {
        ShopperEvent e = event(user, t, EventType.PRODUCT_REMOVED);
        e.productId = product;
        return e;
    }

    static ShopperEvent productViewed(String user, long t, String product) {
        ShopperEvent e = event(user, t, EventType.PRODUCT_VIEWED);
        e.productId = product;
        return e;
    }

    static ShopperEvent checkoutStarted(String user, long t, String orderId, double value) {
        ShopperEvent e = event(user, t, EventType.CHECKOUT_STARTED);
        e.orderId = orderId;
        e.cartId = "cart-" + user;
        e.value = value;
        e.currency = "EUR";
        return e;
    }

    static ShopperEvent orderCompleted(String user, long t, String orderId, double revenue) {
        ShopperEvent e = event(user, t, EventType.ORDER_COMPLETED);
        e.orderId = orderId;
        e.revenue = revenue;
        e.currency = "EUR";
        return e;
    }

    /** Any event outside the e-commerce set, e.g. "Page Viewed". */
    static ShopperEvent other(String user, long t, String name) {
        ShopperEvent e = event(user, t, EventType.OTHER);
        e.event = name;
        e.messageId = messageId(user, name.replace(' ', '_'), t);
        return e;
    }

    static String messageId(String user, String kind, long t) {
        return "m-" + user + "-" + kind + "-" + (t - T0);
    }

    private static ShopperEvent event(String user, long t, EventType type) {
        ShopperEvent e = new ShopperEvent();
        e.userId = user;
        e.type = type;
        e.event = type.segmentName();
        e.timestamp = t;
        e.messageId = messageId(user, type.name().toLowerCase(), t);
        return e;
    }
}
