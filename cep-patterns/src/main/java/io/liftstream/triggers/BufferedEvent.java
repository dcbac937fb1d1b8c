package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

/**
 * The part of a {@link ShopperEvent} that the keyed detectors need, held in keyed state until the
 * watermark passes it. Smaller than the event (no prices, carts or currencies), so buffering costs
 * less to serialize. A Flink POJO.
 */
public class BufferedEvent {
    public long timestamp;
    public EventType type;
    public String messageId;
    /** {@link ShopperEvent#productKey()}, or null. */
    public String product;

    public BufferedEvent() {}

    static BufferedEvent of(ShopperEvent e) {
        BufferedEvent b = new BufferedEvent();
        b.timestamp = e.timestamp;
        b.type = e.type;
        b.messageId = e.messageId;
        b.product = e.productKey();
        return b;
    }

    @Override
    public String toString() {
        return "BufferedEvent{" + type + " t=" + timestamp + " msg=" + messageId + '}';
    }
}
