package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Joins the {@link Silence}s found by a CEP pattern with the user's recent events, in event time, to
 * build triggers that need more than the pattern's anchor (the cart, the browsing run).
 *
 * <p>Input 1 is the user's relevant events in arrival order, kept in a ledger; input 2 the
 * silences. A silence waits for an event-time timer at its {@code abandonedAt}: once the watermark
 * passes it, every non-late event before that instant has arrived, so the context is exact whatever
 * the arrival order. Subclasses say what to build ({@link #fire}), which timers bound the ledger
 * ({@link #cleanupTimer}) and what the ledger must keep ({@link #retained}); state is cleared when
 * empty.
 */
public abstract class SilenceJoinFunction extends KeyedCoProcessFunction<String, ShopperEvent, Silence, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    /** Event-time order; stable, so ties keep arrival order (the order the CEP operator saw). */
    static final Comparator<ShopperEvent> BY_TIME = Comparator.comparingLong(e -> e.timestamp);

    private final String name;
    private transient ListState<ShopperEvent> ledger;
    private transient ListState<Silence> pending;

    /** {@code name} prefixes the state names ({@code <name>-ledger}, {@code <name>-silences}). */
    protected SilenceJoinFunction(String name) {
        this.name = name;
    }

    /** Emits the trigger of a silence that came due, given the time-ordered ledger. */
    protected abstract void fire(List<ShopperEvent> ledger, Silence silence, Collector<TriggerRecord> out);

    /** An event-time instant at which to prune the ledger because of {@code event}, or null. */
    protected abstract Long cleanupTimer(ShopperEvent event);

    /** The ledger entries still needed once the watermark reached {@code now} and {@code fired} fired. */
    protected abstract List<ShopperEvent> retained(List<ShopperEvent> ledger, long now, List<Silence> fired);

    @Override
    public void open(OpenContext openContext) {
        ledger = getRuntimeContext().getListState(new ListStateDescriptor<>(name + "-ledger", ShopperEvent.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>(name + "-silences", Silence.class));
    }

    @Override
    public void processElement1(ShopperEvent event, Context ctx, Collector<TriggerRecord> out) throws Exception {
        ledger.add(event);
        Long cleanup = cleanupTimer(event);
        if (cleanup != null) {
            ctx.timerService().registerEventTimeTimer(cleanup);
        }
    }

    @Override
    public void processElement2(Silence silence, Context ctx, Collector<TriggerRecord> out) throws Exception {
        pending.add(silence);
        ctx.timerService().registerEventTimeTimer(silence.abandonedAt);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TriggerRecord> out) throws Exception {
        List<ShopperEvent> entries = new ArrayList<>();
        ledger.get().forEach(entries::add);
        entries.sort(BY_TIME);

        List<Silence> waiting = new ArrayList<>();
        List<Silence> due = new ArrayList<>();
        for (Silence s : pending.get()) {
            (s.abandonedAt <= timestamp ? due : waiting).add(s);
        }
        due.sort(Comparator.comparingLong(s -> s.abandonedAt));
        for (Silence s : due) {
            fire(entries, s, out);
        }
        if (!due.isEmpty()) {
            replace(pending, waiting);
        }
        replace(ledger, retained(entries, timestamp, due));
    }

    private static <T> void replace(ListState<T> state, List<T> values) throws Exception {
        if (values.isEmpty()) {
            state.clear();
        } else {
            state.update(values);
        }
    }
}
