package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import org.apache.flink.util.Collector;

/**
 * checkout_abandoned as a state machine ({@link OrderedTrigger}) over the user's checkout events and
 * orders: the same triggers as {@link TriggerPatterns#checkoutAbandoned} with {@link
 * CheckoutAbandonedFunction}. Each Checkout Started opens a silence anchored on it (closing the
 * previous one); an Order Completed closes it. When time reaches the anchor + {@code timeout} (an event
 * at exactly that instant does not prevent it), it fires with the checkout's order, cart, value and
 * currency. Progress: the anchor; idle when there is none.
 */
public final class CheckoutAbandonedMachine implements OrderedTrigger<CheckoutAbandonedMachine.CheckoutProgress> {
    private static final long serialVersionUID = 1L;

    /** Per-user progress: the open checkout, or null. A Flink POJO. */
    public static class CheckoutProgress {
        public ShopperEvent anchor;

        public CheckoutProgress() {}
    }

    private final long timeoutMillis;

    public CheckoutAbandonedMachine(TriggerSettings settings) {
        this.timeoutMillis = settings.checkoutTimeout.toMillis();
    }

    @Override
    public boolean reads(EventType type) {
        return type == EventType.CHECKOUT_STARTED || type == EventType.ORDER_COMPLETED;
    }

    @Override
    public CheckoutProgress start() {
        return new CheckoutProgress();
    }

    @Override
    public void advance(CheckoutProgress p, long now, String user, Collector<TriggerRecord> out) {
        if (p.anchor == null || now - p.anchor.timestamp < timeoutMillis) {
            return;
        }
        out.collect(CheckoutAbandonedFunction.trigger(p.anchor, timeoutMillis, now));
        p.anchor = null;
    }

    @Override
    public void process(CheckoutProgress p, BufferedEvent event, String user, Collector<TriggerRecord> out) {
        p.anchor = event.type == EventType.CHECKOUT_STARTED ? event.detail : null;
    }

    @Override
    public long nextDeadline(CheckoutProgress p) {
        return p.anchor == null ? NONE : p.anchor.timestamp + timeoutMillis;
    }

    @Override
    public boolean isIdle(CheckoutProgress p) {
        return p.anchor == null;
    }
}
