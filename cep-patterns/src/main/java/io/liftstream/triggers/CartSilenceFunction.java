package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Map;

/** Turns a cart_abandoned match (the last add of a silence) into a {@link CartSilence}. */
public class CartSilenceFunction extends PatternProcessFunction<ShopperEvent, CartSilence> {
    private static final long serialVersionUID = 1L;

    private final long timeoutMillis;

    public CartSilenceFunction(TriggerSettings settings) {
        this.timeoutMillis = settings.cartTimeout.toMillis();
    }

    @Override
    public void processMatch(Map<String, List<ShopperEvent>> match, Context ctx, Collector<CartSilence> out) {
        ShopperEvent add = match.get(TriggerPatterns.ADD).get(0);
        out.collect(new CartSilence(add.userId, add.messageId, add.timestamp, add.timestamp + timeoutMillis,
                ctx.timestamp()));
    }
}
