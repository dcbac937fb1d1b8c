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
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.util.List;
import java.util.function.Supplier;

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
    static final class SilenceByUser implements KeySelector<CartSilence, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CartSilence silence) {
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
    static KeyedTwoInputStreamOperatorTestHarness<String, ShopperEvent, CartSilence, TriggerRecord> cartContext(
            TriggerSettings settings, Backend backend) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, ShopperEvent, CartSilence, TriggerRecord> harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new CartContextFunction(settings)),
                        new TriggerDetector.ByUser(),
                        new SilenceByUser(),
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

    /** Restores {@code snapshot} into a fresh harness built by {@code factory}, and opens it. */
    static <H extends AbstractStreamOperatorTestHarness<?>> H restore(
            HarnessFactory<H> factory, Backend backend, OperatorSubtaskState snapshot) throws Exception {
        H harness = factory.create(backend);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        return harness;
    }
}
