package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

/**
 * An event that reached the keyed trigger operator at or below the operator's watermark, with that
 * watermark. A Flink POJO.
 */
public class LateEvent {
    public ShopperEvent event;
    public long watermark;

    public LateEvent() {}

    public LateEvent(ShopperEvent event, long watermark) {
        this.event = event;
        this.watermark = watermark;
    }
}
