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
 *
 * <p>Bounded: a context lists at most {@link #MAX_LISTED} cart lines or viewed products, so a bot's
 * 25,000 views or a 5,000-line cart still give a small record. The counts and the value stay those
 * of the whole cart or run; {@link #itemsTruncated} / {@link #productIdsTruncated} say that the
 * list is partial (null when it is complete, so a complete context is written as before).
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

    /** True when {@link #items} lists only the {@link #MAX_LISTED} highest-value of the cart's lines; else null. */
    public Boolean itemsTruncated;
    /** The number of lines in the whole cart when {@link #itemsTruncated}; else null. */
    public Integer lineCount;
    /** True when {@link #productIds} lists only the first {@link #MAX_LISTED} distinct products viewed; else null. */
    public Boolean productIdsTruncated;

    public Integer eventCount;
    public Long windowStart;
    public Long windowEnd;

    /** The most cart lines or product ids a context lists. */
    public static final int MAX_LISTED = 100;

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
                && Objects.equals(windowEnd, t.windowEnd) && Objects.equals(itemsTruncated, t.itemsTruncated)
                && Objects.equals(lineCount, t.lineCount) && Objects.equals(productIdsTruncated, t.productIdsTruncated);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemCount, value, orderId, viewCount, eventCount);
    }
}
