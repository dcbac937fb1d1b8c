package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import org.apache.flink.util.Collector;

import java.util.List;

/**
 * Builds the cart_abandoned trigger: joins each cart silence with the user's cart, computed by
 * {@link CartLedger#cartAt} at the abandonment instant. An empty cart (emptied by removals) fires
 * nothing.
 *
 * <p>Ledger bounds: only entries after the user's last Order Completed that the watermark has
 * passed, none older than the cart retention. Timers at each order, and at each add or removal +
 * retention, prune it; it is cleared when empty.
 */
public class CartContextFunction extends SilenceJoinFunction {
    private static final long serialVersionUID = 1L;

    private final long retentionMillis;

    public CartContextFunction(TriggerSettings settings) {
        super("cart");
        this.retentionMillis = settings.cartRetention.toMillis();
    }

    @Override
    protected void fire(List<ShopperEvent> ledger, Silence s, Collector<TriggerRecord> out) {
        TriggerContext cart = CartLedger.cartAt(ledger, s.abandonedAt);
        if (cart.itemCount > 0) {
            out.collect(TriggerRecord.of(TriggerType.CART_ABANDONED, s.userId, s.anchorMessageId, s.abandonedAt,
                    s.detectionClock, cart));
        }
    }

    @Override
    protected Long cleanupTimer(ShopperEvent event) {
        return event.type == EventType.ORDER_COMPLETED ? event.timestamp : event.timestamp + retentionMillis;
    }

    @Override
    protected List<ShopperEvent> retained(List<ShopperEvent> ledger, long now, List<Silence> fired) {
        return CartLedger.retained(ledger, now, retentionMillis);
    }
}
