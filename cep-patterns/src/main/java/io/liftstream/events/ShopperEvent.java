package io.liftstream.events;

import java.util.Objects;

/**
 * One normalized shopper event (a Segment {@code track} call, or a mapped Snowplow e-commerce
 * action). A Flink POJO: public fields and a no-argument constructor, so Flink serializes it with
 * its {@code PojoSerializer} and never falls back to Kryo.
 *
 * <p>{@link #userId} is the identity ({@code userId}, else {@code anonymousId}); {@link #timestamp}
 * is the event time in epoch milliseconds. Optional properties are null when absent.
 */
public class ShopperEvent {
    /** Unique id of the event; derived from the raw line when the producer sent none. */
    public String messageId;
    /** The identity the event is keyed by. */
    public String userId;
    /** The event name as sent (after Snowplow mapping), e.g. "Product Added" or "Signed Up". */
    public String event;
    public EventType type;
    /** Event time, epoch milliseconds. */
    public long timestamp;

    public String productId;
    public String sku;
    public Double price;
    public Integer quantity;
    public String cartId;
    public String orderId;
    public Double revenue;
    /** Checkout/order value as sent in {@code properties.value}. */
    public Double value;
    public String currency;

    public ShopperEvent() {}

    /** The product identity used for cart lines: {@code product_id}, else {@code sku}. */
    public String productKey() {
        return productId != null ? productId : sku;
    }

    public boolean is(EventType t) {
        return type == t;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ShopperEvent)) return false;
        ShopperEvent that = (ShopperEvent) o;
        return timestamp == that.timestamp
                && Objects.equals(messageId, that.messageId)
                && Objects.equals(userId, that.userId)
                && Objects.equals(event, that.event)
                && type == that.type
                && Objects.equals(productId, that.productId)
                && Objects.equals(sku, that.sku)
                && Objects.equals(price, that.price)
                && Objects.equals(quantity, that.quantity)
                && Objects.equals(cartId, that.cartId)
                && Objects.equals(orderId, that.orderId)
                && Objects.equals(revenue, that.revenue)
                && Objects.equals(value, that.value)
                && Objects.equals(currency, that.currency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageId, userId, timestamp);
    }

    @Override
    public String toString() {
        return "ShopperEvent{" + event + " user=" + userId + " t=" + timestamp + " msg=" + messageId
                + (productKey() != null ? " product=" + productKey() : "") + '}';
    }
}
