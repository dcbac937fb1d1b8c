package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Map;

/** Builds the checkout_abandoned trigger from its match (the last Checkout Started). */
public class CheckoutAbandonedFunction extends PatternProcessFunction<ShopperEvent, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    private final long timeoutMillis;

    public CheckoutAbandonedFunction(TriggerSettings settings) {
        this.timeoutMillis = settings.checkoutTimeout.toMillis();
    }

    @Override
    public void processMatch(Map<String, List<ShopperEvent>> match, Context ctx, Collector<TriggerRecord> out) {
        out.collect(trigger(match.get(TriggerPatterns.CHECKOUT).get(0), timeoutMillis, ctx.timestamp()));
    }

    /** The trigger of an abandoned checkout, anchored on its last Checkout Started. */
    static TriggerRecord trigger(ShopperEvent checkout, long timeoutMillis, long detectedAt) {
        TriggerContext context = new TriggerContext();
        context.orderId = checkout.orderId;
        context.cartId = checkout.cartId;
        context.value = checkout.value != null ? checkout.value : checkout.revenue;
        context.currency = checkout.currency;
        context.checkoutStartedAt = checkout.timestamp;
        return TriggerRecord.of(TriggerType.CHECKOUT_ABANDONED, checkout.userId, checkout.messageId,
                checkout.timestamp + timeoutMillis, detectedAt, context);
    }
}
