package io.liftstream.triggers;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a trigger carries for the systems that act on it. Fields that do not apply to a trigger type
 * are null. A Flink POJO (arrays, not collections, so no Kryo fallback).
 *
 * <ul>
 *   <li>cart_abandoned: {@link #items}, {@link #itemCount}, {@link #value}, {@link #currency},
 *       {@link #cartId}, {@link #firstAddedAt}, {@link #lastAddedAt};
 *   <li>checkout_abandoned: {@link #orderId}, {@link #cartId}, {@link #value}, {@link #currency},
 *       {@link #checkoutStartedAt};
 *   <li>browse_abandoned: {@link #viewCount}, {@link #productIds}, {@link #firstViewedAt},
 *       {@link #lastViewedAt};
 *   <li>engagement_spike: {@link #eventCount}, {@link #windowStart}, {@link #windowEnd}.
 * </ul>
 */
public class TriggerContext {
    public CartLine[] items;
    public Integer itemCount;
    public Double value;
    public String currency;
    public String cartId;
    public Long firstAddedAt;
    public Long lastAddedAt;

    public String orderId;
    public Long checkoutStartedAt;

    public Integer viewCount;
    public String[] productIds;
    public Long firstViewedAt;
    public Long lastViewedAt;

    public Integer eventCount;
    public Long windowStart;
    public Long windowEnd;

    public TriggerContext() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TriggerContext)) return false;
        TriggerContext t = (TriggerContext) o;
        return Arrays.equals(items, t.items) && Objects.equals(itemCount, t.itemCount)
                && Objects.equals(value, t.value) && Objects.equals(currency, t.currency)
                && Objects.equals(cartId, t.cartId) && Objects.equals(firstAddedAt, t.firstAddedAt)
                && Objects.equals(lastAddedAt, t.lastAddedAt) && Objects.equals(orderId, t.orderId)
                && Objects.equals(checkoutStartedAt, t.checkoutStartedAt)
                && Objects.equals(viewCount, t.viewCount) && Arrays.equals(productIds, t.productIds)
                && Objects.equals(firstViewedAt, t.firstViewedAt)
                && Objects.equals(lastViewedAt, t.lastViewedAt)
                && Objects.equals(eventCount, t.eventCount) && Objects.equals(windowStart, t.windowStart)
                && Objects.equals(windowEnd, t.windowEnd);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemCount, value, orderId, viewCount, eventCount);
    }
}
