package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

/**
 * The part of a {@link ShopperEvent} that the keyed detectors need, held in keyed state until the
 * watermark passes it: only the fields the detectors read, plus the whole event for cart and checkout
 * events, whose triggers carry it. A Flink POJO.
 */
public class BufferedEvent {
    public long timestamp;
    public EventType type;
    public String messageId;
    /** {@link ShopperEvent#productKey()}, or null. */
    public String product;
    /** The whole event, for the types whose triggers carry more than the above (cart and checkout), else null. */
    public ShopperEvent detail;

    public BufferedEvent() {}

    static BufferedEvent of(ShopperEvent e) {
        BufferedEvent b = new BufferedEvent();
        b.timestamp = e.timestamp;
        b.type = e.type;
        b.messageId = e.messageId;
        b.product = e.productKey();
        if (e.type == EventType.PRODUCT_ADDED || e.type == EventType.PRODUCT_REMOVED
                || e.type == EventType.CHECKOUT_STARTED) {
            b.detail = e;
        }
        return b;
    }

    @Override
    public String toString() {
        return "BufferedEvent{" + type + " t=" + timestamp + " msg=" + messageId + '}';
    }
}
