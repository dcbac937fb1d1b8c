package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Operator harnesses for the trigger tests, wired the way {@link TriggerDetector} wires the
 * operators (a {@link CepOperator} in event time per pattern, keyed by user). Callers open and close
 * them.
 */
final class TriggerHarnesses {
    private TriggerHarnesses() {}

    /** The state backends a harness can run on. */
    enum Backend {
        HEAP(HashMapStateBackend::new),
        ROCKSDB(EmbeddedRocksDBStateBackend::new);

        private final Supplier<StateBackend> factory;

        Backend(Supplier<StateBackend> factory) {
            this.factory = factory;
        }

        StateBackend create() {
            return factory.get();
        }
    }

    static final TypeSerializer<ShopperEvent> EVENT_SERIALIZER =
            TypeInformation.of(ShopperEvent.class).createSerializer(new SerializerConfigImpl());

    /** Keys cart silences by user, as the job does. */
    static final class CartSilenceByUser implements KeySelector<Silence, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Silence silence) {
            return silence.userId;
        }
    }

    /** Keys browse silences by user, as the job does. */
    static final class BrowseSilenceByUser implements KeySelector<Silence, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Silence silence) {
            return silence.userId;
        }
    }

    /** Keys triggers by user, as the job does. */
    static final class TriggerByUser implements KeySelector<TriggerRecord, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(TriggerRecord trigger) {
            return trigger.userId;
        }
    }

    /** An event-time CEP operator for {@code pattern}, as {@code CEP.pattern(keyed, pattern).process(fn)} builds it. */
    static <OUT> CepOperator<ShopperEvent, String, OUT> cepOperator(
            Pattern<ShopperEvent, ?> pattern, PatternProcessFunction<ShopperEvent, OUT> function) {
        return new CepOperator<>(
                EVENT_SERIALIZER,
                false,
                NFACompiler.compileFactory(pattern, false),
                null,
                pattern.getAfterMatchSkipStrategy(),
                function,
                null);
    }

    /** An unopened harness around a CEP operator for {@code pattern}, on {@code backend}. */
    static <OUT> KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, OUT> cep(
            Pattern<ShopperEvent, ?> pattern, PatternProcessFunction<ShopperEvent, OUT> function, Backend backend)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, OUT> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        cepOperator(pattern, function), new TriggerDetector.ByUser(), Types.STRING);
        harness.setStateBackend(backend.create());
        return harness;
    }

    /** An opened harness around a CEP operator for {@code pattern}, on the heap backend. */
    static <OUT> KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, OUT> openCep(
            Pattern<ShopperEvent, ?> pattern, PatternProcessFunction<ShopperEvent, OUT> function) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, OUT> harness =
                cep(pattern, function, Backend.HEAP);
        harness.open();
        return harness;
    }

    /** An unopened harness around {@link CartContextFunction}: input 1 cart events, input 2 silences. */
    static KeyedTwoInputStreamOperatorTestHarness<String, ShopperEvent, Silence, TriggerRecord> cartContext(
            TriggerSettings settings, Backend backend) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, ShopperEvent, Silence, TriggerRecord> harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new CartContextFunction(settings)),
                        new TriggerDetector.ByUser(),
                        new CartSilenceByUser(),
                        Types.STRING);
        harness.setStateBackend(backend.create());
        return harness;
    }

    /** An unopened harness around {@link BrowseAbandonedFunction}: input 1 browse events, input 2 silences. */
    static KeyedTwoInputStreamOperatorTestHarness<String, ShopperEvent, Silence, TriggerRecord> browseRun(
            TriggerSettings settings, Backend backend) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, ShopperEvent, Silence, TriggerRecord> harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new BrowseAbandonedFunction(settings)),
                        new TriggerDetector.ByUser(),
                        new BrowseSilenceByUser(),
                        Types.STRING);
        harness.setStateBackend(backend.create());
        return harness;
    }

    /** An unopened harness around {@link SpikeCooldownFunction}. */
    static KeyedOneInputStreamOperatorTestHarness<String, TriggerRecord, TriggerRecord> spikeCooldown(
            TriggerSettings settings, Backend backend) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, TriggerRecord, TriggerRecord> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SpikeCooldownFunction(settings)),
                        new TriggerByUser(),
                        Types.STRING);
        harness.setStateBackend(backend.create());
        return harness;
    }

    /** An unopened harness around {@link KeyedTriggersOperator}, reading all events. */
    static KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> keyedTriggers(
            TriggerSettings settings, Backend backend) throws Exception {
        return keyedTriggers(settings, backend, 128, 1, 0);
    }

    /** An unopened harness around subtask {@code index} of {@code parallelism} {@link KeyedTriggersOperator}s. */
    static KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> keyedTriggers(
            TriggerSettings settings, Backend backend, int maxParallelism, int parallelism, int index)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedTriggersOperator(settings), new TriggerDetector.ByUser(),
                        Types.STRING, maxParallelism, parallelism, index);
        harness.setStateBackend(backend.create());
        return harness;
    }

    /** The keyed states of a {@link CepOperator}. */
    static final String[] CEP_STATES = {
        "nfaStateName", "eventQueuesStateName", "sharedBuffer-events", "sharedBuffer-entries-with-lockable-edges",
        "sharedBuffer-events-count"
    };

    /** The keyed states of {@link CartContextFunction}. */
    static final String[] CART_CONTEXT_STATES = {"cart-ledger", "cart-silences"};

    /** The keyed states of {@link KeyedTriggersOperator}. */
    static final String[] KEYED_STATES = {"trigger-progress"};

    /** The keyed states of {@link BrowseAbandonedFunction}. */
    static final String[] BROWSE_RUN_STATES = {"browse-ledger", "browse-silences"};

    /**
     * Keyed state entries of {@code states}, on any backend: the number of (state, key) pairs with a
     * value. {@code numKeyedStateEntries()} counts every state but works on the heap backend only.
     */
    static long keyedStateEntries(AbstractStreamOperatorTestHarness<?> harness, String... states) throws Exception {
        KeyedStateBackend<Object> backend = harness.getOperator().getKeyedStateBackend();
        long entries = 0;
        for (String state : states) {
            try (Stream<Object> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
                entries += keys.count();
            }
        }
        return entries;
    }

    /** The records emitted since the last call, removing them from the harness output. */
    static <OUT> List<OUT> drain(AbstractStreamOperatorTestHarness<OUT> harness) {
        List<OUT> values = harness.extractOutputValues();
        harness.getOutput().clear();
        return values;
    }

    /** Feeds events with their own timestamps as record timestamps. */
    static void send(KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, ?> harness, ShopperEvent... events)
            throws Exception {
        for (ShopperEvent e : events) {
            harness.processElement(e, e.timestamp);
        }
    }

    /** Builds an unopened harness on a backend. */
    @FunctionalInterface
    interface HarnessFactory<H extends AbstractStreamOperatorTestHarness<?>> {
        H create(Backend backend) throws Exception;
    }
}
