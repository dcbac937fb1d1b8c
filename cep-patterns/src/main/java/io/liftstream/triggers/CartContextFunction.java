package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins each cart silence found by the cart_abandoned pattern with the user's cart, in event time.
 *
 * <p>Input 1 is the user's cart events (adds, removals, orders) in arrival order; they are kept in a
 * ledger. Input 2 is {@link CartSilence}s. A silence waits for an event-time timer at its {@code
 * abandonedAt}: when the watermark passes it, every non-late cart event before that instant has
 * arrived, so the cart computed by {@link CartLedger#cartAt} is exact whatever the arrival order. An
 * empty cart (emptied by removals) fires nothing.
 *
 * <p>State and its bounds: the ledger keeps only entries after the user's last Order Completed that
 * the watermark has passed, and none older than the cart retention (timers at each order and at each
 * add or removal + retention prune it); pending silences live until their timer. Both are cleared
 * when empty.
 */
public class CartContextFunction extends KeyedCoProcessFunction<String, ShopperEvent, CartSilence, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    private final long retentionMillis;
    private transient ListState<ShopperEvent> ledger;
    private transient ListState<CartSilence> pending;

    public CartContextFunction(TriggerSettings settings) {
        this.retentionMillis = settings.cartRetention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        ledger = getRuntimeContext().getListState(new ListStateDescriptor<>("cart-ledger", ShopperEvent.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("cart-silences", CartSilence.class));
    }

    @Override
    public void processElement1(ShopperEvent event, Context ctx, Collector<TriggerRecord> out) throws Exception {
        ledger.add(event);
        if (event.type == EventType.ORDER_COMPLETED) {
            ctx.timerService().registerEventTimeTimer(event.timestamp);
        } else {
            // Adds and removals alike: a removal after the last add (or a removal alone) must not
            // outlive the retention either.
            ctx.timerService().registerEventTimeTimer(event.timestamp + retentionMillis);
        }
    }

    @Override
    public void processElement2(CartSilence silence, Context ctx, Collector<TriggerRecord> out) throws Exception {
        pending.add(silence);
        ctx.timerService().registerEventTimeTimer(silence.abandonedAt);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TriggerRecord> out) throws Exception {
        List<CartSilence> waiting = new ArrayList<>();
        List<CartSilence> due = new ArrayList<>();
        for (CartSilence s : pending.get()) {
            (s.abandonedAt <= timestamp ? due : waiting).add(s);
        }
        due.sort((a, b) -> Long.compare(a.abandonedAt, b.abandonedAt));
        Iterable<ShopperEvent> entries = ledger.get();
        for (CartSilence s : due) {
            TriggerContext cart = CartLedger.cartAt(entries, s.abandonedAt);
            if (cart.itemCount > 0) {
                out.collect(TriggerRecord.of(TriggerType.CART_ABANDONED, s.userId, s.anchorMessageId,
                        s.abandonedAt, s.detectionClock, cart));
            }
        }
        if (!due.isEmpty()) {
            replace(pending, waiting);
        }
        replace(ledger, CartLedger.retained(entries, timestamp, retentionMillis));
    }

    private static <T> void replace(ListState<T> state, List<T> values) throws Exception {
        if (values.isEmpty()) {
            state.clear();
        } else {
            state.update(values);
        }
    }
}
