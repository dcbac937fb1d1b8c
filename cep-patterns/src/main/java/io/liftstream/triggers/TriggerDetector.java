package io.liftstream.triggers;

import static io.liftstream.events.EventType.CHECKOUT_STARTED;
import static io.liftstream.events.EventType.ORDER_COMPLETED;
import static io.liftstream.events.EventType.PRODUCT_ADDED;
import static io.liftstream.events.EventType.PRODUCT_REMOVED;
import static io.liftstream.events.EventType.PRODUCT_VIEWED;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.util.ArrayList;
import java.util.List;

/**
 * The trigger topology: from events keyed by user (timestamped, late events already removed) to one
 * stream of {@link TriggerRecord}s.
 *
 * <p>Events are shuffled by user once, into one node that every trigger operator chains behind.
 * Each pattern reads a filtered view of that keyed stream,
 * reinterpreted as keyed (no further shuffle), so a CEP operator buffers only the events its
 * pattern looks at. Stateful operators carry stable uids, listed in {@link Uids}.
 *
 * <p>The CEP patterns ({@link TriggerPatterns}) define the triggers. By default ({@link
 * TriggerEngine#KEYED}) one keyed operator runs them as state machines that give the same triggers,
 * field by field, because Flink 2.2's CEP operator scans RocksDB map state on every timer (FLINK-40584)
 * and costs several times more per event (BENCHMARKS.md); {@link TriggerEngine#CEP} runs the patterns.
 */
public final class TriggerDetector {
    private TriggerDetector() {}

    /** Stable operator uids: savepoints map state by these; never change them. */
    public static final class Uids {
        private Uids() {}

        public static final String CART_PATTERN = "cep-cart-abandoned";
        public static final String CART_CONTEXT = "cart-context";
        public static final String CHECKOUT_PATTERN = "cep-checkout-abandoned";
        public static final String BROWSE_PATTERN = "cep-browse-abandoned";
        public static final String BROWSE_RUN = "browse-run";
        public static final String SPIKE_PATTERN = "cep-engagement-spike";
        public static final String SPIKE_COOLDOWN = "spike-cooldown";
        /** Every trigger as one keyed operator ({@link TriggerEngine#KEYED}). */
        public static final String KEYED_TRIGGERS = "keyed-triggers";
        /** Stateless: routes events the CEP operators would drop as late to the late output ({@link CepLateGuard}). */
        public static final String CEP_LATE_GUARD = "cep-late-guard";
        /** The single keyed node every trigger operator chains behind. */
        public static final String BY_USER = "by-user";
    }

    /** Keys events by identity. */
    public static final class ByUser implements KeySelector<ShopperEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ShopperEvent event) {
            return event.userId;
        }
    }

    private static final class SilenceByUser implements KeySelector<Silence, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Silence silence) {
            return silence.userId;
        }
    }

    private static final class TriggerByUser implements KeySelector<TriggerRecord, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(TriggerRecord trigger) {
            return trigger.userId;
        }
    }

    /** All enabled triggers, from a stream keyed with {@link ByUser}. */
    public static DataStream<TriggerRecord> detect(KeyedStream<ShopperEvent, String> keyed, TriggerSettings s) {
        return detectWithLate(keyed, s).triggers;
    }

    /** The triggers and the events the trigger operator found late. */
    public static final class Detected {
        public final DataStream<TriggerRecord> triggers;
        /**
         * Events at or below the keyed operator's own watermark ({@link KeyedTriggersOperator#LATE_EVENTS});
         * with the CEP engine, those {@link CepLateGuard} finds before the patterns (which would drop them).
         */
        public final DataStream<LateEvent> late;

        Detected(DataStream<TriggerRecord> triggers, DataStream<LateEvent> late) {
            this.triggers = triggers;
            this.late = late;
        }
    }

    /** All enabled triggers and the late events of the keyed engine, from a stream keyed with {@link ByUser}. */
    public static Detected detectWithLate(KeyedStream<ShopperEvent, String> keyed, TriggerSettings s) {
        // One network shuffle: every operator below reads this node's output through forward edges and
        // chains behind it. Applying each view's filter to the KeyedStream itself would make one hash
        // edge per view, and the upstream task would serialize and send every event once per view.
        KeyedStream<ShopperEvent, String> byUser = DataStreamUtils.reinterpretAsKeyedStream(
                keyed.filter(EventConditions.anyEvent()).name("by user").uid(Uids.BY_USER), new ByUser());
        if (s.engine == TriggerEngine.KEYED) {
            SingleOutputStreamOperator<TriggerRecord> triggers = byUser.transform("triggers " + String.join(", ", enabledNames(s)),
                            TypeInformation.of(TriggerRecord.class), new KeyedTriggersOperator(s))
                    .uid(Uids.KEYED_TRIGGERS);
            return new Detected(triggers, triggers.getSideOutput(KeyedTriggersOperator.LATE_EVENTS));
        }
        SingleOutputStreamOperator<ShopperEvent> guarded = byUser.process(new CepLateGuard())
                .returns(TypeInformation.of(ShopperEvent.class))
                .name("late guard")
                .uid(Uids.CEP_LATE_GUARD);
        return new Detected(detectCep(DataStreamUtils.reinterpretAsKeyedStream(guarded, new ByUser()), s),
                guarded.getSideOutput(KeyedTriggersOperator.LATE_EVENTS));
    }

    private static DataStream<TriggerRecord> detectCep(KeyedStream<ShopperEvent, String> byUser, TriggerSettings s) {
        List<DataStream<TriggerRecord>> outputs = new ArrayList<>();
        if (s.isEnabled(TriggerType.CART_ABANDONED)) {
            outputs.add(cartAbandoned(byUser, s));
        }
        if (s.isEnabled(TriggerType.CHECKOUT_ABANDONED)) {
            outputs.add(CEP.pattern(view(byUser, EventConditions.anyOf(CHECKOUT_STARTED, ORDER_COMPLETED), "checkout"),
                            TriggerPatterns.checkoutAbandoned(s))
                    .process(new CheckoutAbandonedFunction(s))
                    .name("checkout_abandoned")
                    .uid(Uids.CHECKOUT_PATTERN));
        }
        if (s.isEnabled(TriggerType.BROWSE_ABANDONED)) {
            outputs.add(browseAbandoned(byUser, s));
        }
        if (s.isEnabled(TriggerType.ENGAGEMENT_SPIKE)) {
            DataStream<TriggerRecord> candidates = CEP.pattern(byUser, TriggerPatterns.engagementSpike(s))
                    .process(new EngagementSpikeFunction())
                    .name("engagement_spike")
                    .uid(Uids.SPIKE_PATTERN);
            outputs.add(DataStreamUtils.reinterpretAsKeyedStream(candidates, new TriggerByUser())
                    .process(new SpikeCooldownFunction(s))
                    .name("engagement_spike cooldown")
                    .uid(Uids.SPIKE_COOLDOWN));
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("no trigger is enabled");
        }
        DataStream<TriggerRecord> all = outputs.get(0);
        for (int i = 1; i < outputs.size(); i++) {
            all = all.union(outputs.get(i));
        }
        return all;
    }

    private static List<String> enabledNames(TriggerSettings s) {
        List<String> names = new ArrayList<>();
        for (TriggerType t : TriggerType.values()) {
            if (s.isEnabled(t)) {
                names.add(t.id());
            }
        }
        return names;
    }

    private static DataStream<TriggerRecord> cartAbandoned(KeyedStream<ShopperEvent, String> byUser, TriggerSettings s) {
        return silenceTrigger(view(byUser, EventConditions.anyOf(PRODUCT_ADDED, PRODUCT_REMOVED, ORDER_COMPLETED), "cart"),
                TriggerPatterns.cartAbandoned(s), SilenceFunction.cart(s), new CartContextFunction(s),
                "cart_abandoned", Uids.CART_PATTERN, Uids.CART_CONTEXT);
    }

    private static DataStream<TriggerRecord> browseAbandoned(KeyedStream<ShopperEvent, String> byUser, TriggerSettings s) {
        return silenceTrigger(view(byUser, EventConditions.anyOf(PRODUCT_VIEWED, PRODUCT_ADDED, ORDER_COMPLETED), "browse"),
                TriggerPatterns.browseAbandoned(s), SilenceFunction.browse(s), new BrowseAbandonedFunction(s),
                "browse_abandoned", Uids.BROWSE_PATTERN, Uids.BROWSE_RUN);
    }

    /**
     * A silence trigger: the CEP pattern finds the silence after an anchor event; the join turns it
     * into a trigger with the context it needs from the same events. Both read one keyed view.
     */
    private static DataStream<TriggerRecord> silenceTrigger(KeyedStream<ShopperEvent, String> events,
            Pattern<ShopperEvent, ShopperEvent> pattern, SilenceFunction silenceFunction, SilenceJoinFunction join,
            String name, String patternUid, String joinUid) {
        DataStream<Silence> silences = CEP.pattern(events, pattern)
                .process(silenceFunction)
                .name(name)
                .uid(patternUid);
        return events
                .connect(DataStreamUtils.reinterpretAsKeyedStream(silences, new SilenceByUser()))
                .process(join)
                .name(name + " context")
                .uid(joinUid);
    }

    /** The events a pattern reads, still partitioned by user (filtering keeps the partitioning). */
    private static KeyedStream<ShopperEvent, String> view(
            KeyedStream<ShopperEvent, String> byUser, EventConditions relevant, String name) {
        return DataStreamUtils.reinterpretAsKeyedStream(
                byUser.filter(relevant).name(name + " events").uid(name + "-events"), new ByUser());
    }
}
