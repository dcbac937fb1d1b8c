package io.liftstream.triggers;

import static io.liftstream.events.EventType.ORDER_COMPLETED;
import static io.liftstream.events.EventType.PRODUCT_ADDED;
import static io.liftstream.events.EventType.PRODUCT_REMOVED;
import static io.liftstream.events.EventType.PRODUCT_VIEWED;

import io.liftstream.events.ShopperEvent;
import io.liftstream.triggers.TriggerHarnesses.Backend;
import io.liftstream.triggers.TriggerHarnesses.HarnessFactory;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.util.List;

/**
 * A two-operator trigger chain of {@link TriggerDetector} in two harnesses: a CEP operator finds a
 * silence {@code S}, which feeds input 2 of a context operator whose input 1 is the same events.
 * Events outside the chain's filtered view are dropped, as the job's filter does; silences are
 * forwarded before the watermark that produced them, as in the job.
 *
 * @param <S> the silence type
 */
final class SilencePipeline<S> implements AutoCloseable {
    /** A checkpoint of both operators. */
    record Snapshot(OperatorSubtaskState cep, OperatorSubtaskState context) {}

    /** How to build (and restore) one kind of chain. */
    private record Chain<S>(
            EventConditions view,
            HarnessFactory<KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, S>> cep,
            HarnessFactory<KeyedTwoInputStreamOperatorTestHarness<String, ShopperEvent, S, TriggerRecord>> context,
            String[] contextStates) {}

    private final Chain<S> chain;
    private final Backend backend;
    private final KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, S> cep;
    private final KeyedTwoInputStreamOperatorTestHarness<String, ShopperEvent, S, TriggerRecord> context;

    private SilencePipeline(Chain<S> chain, Backend backend, OperatorSubtaskState cepState,
            OperatorSubtaskState contextState) throws Exception {
        this.chain = chain;
        this.backend = backend;
        this.cep = chain.cep().create(backend);
        this.context = chain.context().create(backend);
        cep.setup();
        context.setup();
        if (cepState != null) {
            cep.initializeState(cepState);
            context.initializeState(contextState);
        }
        cep.open();
        context.open();
    }

    private static Chain<Silence> cartChain(TriggerSettings s) {
        return new Chain<>(
                EventConditions.anyOf(PRODUCT_ADDED, PRODUCT_REMOVED, ORDER_COMPLETED),
                b -> TriggerHarnesses.cep(TriggerPatterns.cartAbandoned(s), SilenceFunction.cart(s), b),
                b -> TriggerHarnesses.cartContext(s, b),
                TriggerHarnesses.CART_CONTEXT_STATES);
    }

    private static Chain<Silence> browseChain(TriggerSettings s) {
        return new Chain<>(
                EventConditions.anyOf(PRODUCT_VIEWED, PRODUCT_ADDED, ORDER_COMPLETED),
                b -> TriggerHarnesses.cep(TriggerPatterns.browseAbandoned(s), SilenceFunction.browse(s), b),
                b -> TriggerHarnesses.browseRun(s, b),
                TriggerHarnesses.BROWSE_RUN_STATES);
    }

    /** cart_abandoned: the pattern and {@link CartContextFunction}. */
    static SilencePipeline<Silence> cart(TriggerSettings settings, Backend backend) throws Exception {
        return new SilencePipeline<>(cartChain(settings), backend, null, null);
    }

    static SilencePipeline<Silence> restoreCart(TriggerSettings settings, Backend backend, Snapshot snapshot)
            throws Exception {
        return new SilencePipeline<>(cartChain(settings), backend, snapshot.cep(), snapshot.context());
    }

    /** browse_abandoned: the pattern and {@link BrowseAbandonedFunction}. */
    static SilencePipeline<Silence> browse(TriggerSettings settings, Backend backend) throws Exception {
        return new SilencePipeline<>(browseChain(settings), backend, null, null);
    }

    static SilencePipeline<Silence> restoreBrowse(TriggerSettings settings, Backend backend, Snapshot snapshot)
            throws Exception {
        return new SilencePipeline<>(browseChain(settings), backend, snapshot.cep(), snapshot.context());
    }

    /** Sends events (with their own timestamps) to both operators, skipping those outside the view. */
    void send(ShopperEvent... events) throws Exception {
        for (ShopperEvent e : events) {
            if (chain.view().filter(e)) {
                cep.processElement(e, e.timestamp);
                context.processElement1(e, e.timestamp);
            }
        }
    }

    /** Advances event time to {@code watermark}; returns the triggers that became due. */
    List<TriggerRecord> advanceTo(long watermark) throws Exception {
        cep.processWatermark(watermark);
        for (StreamRecord<? extends S> silence : cep.extractOutputStreamRecords()) {
            context.processElement2(new StreamRecord<>(silence.getValue(), silence.getTimestamp()));
        }
        cep.getOutput().clear();
        context.processWatermark1(new Watermark(watermark));
        context.processWatermark2(new Watermark(watermark));
        return TriggerHarnesses.drain(context);
    }

    Snapshot snapshot(long checkpointId, long timestamp) throws Exception {
        return new Snapshot(cep.snapshot(checkpointId, timestamp), context.snapshot(checkpointId, timestamp));
    }

    /** Keyed state entries of the CEP operator: all of them on the heap, the known CEP states on RocksDB. */
    long cepStateEntries() throws Exception {
        return backend == Backend.HEAP
                ? cep.numKeyedStateEntries()
                : TriggerHarnesses.keyedStateEntries(cep, TriggerHarnesses.CEP_STATES);
    }

    int cepTimers() {
        return cep.numEventTimeTimers();
    }

    /** Keyed state entries of the context operator (as {@link #cepStateEntries()}). */
    long contextStateEntries() throws Exception {
        return backend == Backend.HEAP
                ? context.numKeyedStateEntries()
                : TriggerHarnesses.keyedStateEntries(context, chain.contextStates());
    }

    int contextTimers() {
        return context.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        try {
            cep.close();
        } finally {
            context.close();
        }
    }
}
