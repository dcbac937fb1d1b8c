package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.MINUTE;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerHarnesses.drain;
import static io.liftstream.triggers.TriggerHarnesses.keyedStateEntries;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;
import io.liftstream.triggers.TriggerHarnesses.Backend;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * {@link KeyedTriggersOperator} against the CEP operators it replaces on the job's hot path: over
 * seeded random streams (several users, bursts and pauses, ties, exact boundaries, out-of-order arrival
 * within the bound, a watermark after every event as the job derives them), it emits exactly what the
 * engagement_spike pattern with {@link SpikeCooldownFunction} and the browse_abandoned pattern with
 * {@link BrowseAbandonedFunction} emit, field by field, {@code detected_at} included; with both
 * triggers enabled and with each alone. Halfway through, the function is snapshotted and restored into
 * a new harness (RocksDB on odd seeds). At the end, its state and timers are back to zero.
 */
class KeyedTriggersMatchCepTest {
    private static final long OUT_OF_ORDERNESS = 10_000;
    private static final long SECOND = 1_000;
    private static final String[] USERS = {"u1", "u2", "u3", "u4"};
    private static final int MAX_PARALLELISM = 128;

    /** Small parameters so that random streams hit every boundary often. */
    private static final Map<String, String> SMALL = Map.of(
            "liftstream.triggers.browse-abandoned.views", "3",
            "liftstream.triggers.browse-abandoned.timeout", "2 min",
            "liftstream.triggers.engagement-spike.count", "5",
            "liftstream.triggers.engagement-spike.window", "1 min",
            "liftstream.triggers.cart-abandoned.timeout", "2 min",
            "liftstream.triggers.cart-abandoned.cart-retention", "6 min",
            "liftstream.triggers.checkout-abandoned.timeout", "90 s");

    private static TriggerSettings settings(String enabled) {
        return settings(enabled, TriggerOptions.PROGRESS_CACHE.defaultValue());
    }

    private static TriggerSettings settings(String enabled, int progressCache) {
        Map<String, String> options = new HashMap<>(SMALL);
        options.put("liftstream.triggers.enabled", enabled);
        options.put("liftstream.triggers.progress-cache", Integer.toString(progressCache));
        return TriggerSettings.from(Configuration.fromMap(options));
    }

    /** The progress cache: every user fits, none (state on every step), or two of the four (evictions). */
    private static final int[] CACHES = {10_000, 0, 2};

    private static final String EVERY_TRIGGER = "cart_abandoned;checkout_abandoned;browse_abandoned;engagement_spike";
    private static final TriggerSettings ALL = settings(EVERY_TRIGGER);

    static Stream<Long> seeds() {
        return LongStream.rangeClosed(1, 24).boxed();
    }

    static Stream<Long> fewSeeds() {
        return LongStream.rangeClosed(101, 108).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyTriggerEqualsItsPattern(long seed) throws Exception {
        List<ShopperEvent> events = randomStream(seed);
        List<TriggerRecord> expected = cepAll(events);
        assertThat(sorted(keyed(EVERY_TRIGGER, events, seed)))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(sorted(expected));
    }

    /** Over all seeds, every trigger type fires, and some carts are emptied by removals. */
    @org.junit.jupiter.api.Test
    void theRandomStreamsExerciseEveryTrigger() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (long seed : seeds().toList()) {
            for (TriggerRecord r : cepAll(randomStream(seed))) {
                counts.merge(r.trigger, 1, Integer::sum);
            }
        }
        assertThat(counts).containsKeys("cart_abandoned", "checkout_abandoned", "browse_abandoned", "engagement_spike");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isGreaterThan(10));
    }

    @ParameterizedTest
    @MethodSource("fewSeeds")
    void cartAbandonedAloneEqualsThePatternAndTheCartJoin(long seed) throws Exception {
        List<ShopperEvent> events = randomStream(seed);
        assertThat(sorted(keyed("cart_abandoned", events, seed)))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(sorted(cepCart(events)));
    }

    @ParameterizedTest
    @MethodSource("fewSeeds")
    void checkoutAbandonedAloneEqualsThePattern(long seed) throws Exception {
        List<ShopperEvent> events = randomStream(seed);
        assertThat(sorted(keyed("checkout_abandoned", events, seed)))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(sorted(cepCheckout(events)));
    }

    @ParameterizedTest
    @MethodSource("fewSeeds")
    void engagementSpikeAloneEqualsThePatternAndTheCooldown(long seed) throws Exception {
        List<ShopperEvent> events = randomStream(seed);
        assertThat(sorted(keyed("engagement_spike", events, seed)))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(sorted(cepSpikes(events)));
    }

    @ParameterizedTest
    @MethodSource("fewSeeds")
    void browseAbandonedAloneEqualsThePatternAndTheRunJoin(long seed) throws Exception {
        List<ShopperEvent> events = randomStream(seed);
        assertThat(sorted(keyed("browse_abandoned", events, seed)))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(sorted(cepBrowse(events)));
    }

    /**
     * Rescaling: halfway through, one subtask's snapshot (its heap buffer still holding events the
     * watermark has not passed) is restored into two subtasks; each keeps exactly the buffered events of
     * the users it now owns, and together they emit what the patterns emit.
     */
    @ParameterizedTest
    @MethodSource("fewSeeds")
    void restoringIntoTwoSubtasksSplitsTheBufferByKeyGroup(long seed) throws Exception {
        List<ShopperEvent> events = randomStream(seed);
        List<TriggerRecord> expected = cepAll(events);
        Backend backend = seed % 2 == 0 ? Backend.HEAP : Backend.ROCKSDB;
        int half = events.size() / 2;

        List<TriggerRecord> out = new ArrayList<>();
        KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> one =
                TriggerHarnesses.keyedTriggers(ALL, backend, MAX_PARALLELISM, 1, 0);
        one.open();
        long maxSeen = Long.MIN_VALUE;
        for (ShopperEvent e : events.subList(0, half)) {
            one.processElement(new StreamRecord<>(e, e.timestamp));
            maxSeen = Math.max(maxSeen, e.timestamp);
            one.processWatermark(new Watermark(watermarkAfter(maxSeen)));
        }
        int bufferedAtSnapshot = ((KeyedTriggersOperator) one.getOperator()).pendingEvents();
        assertThat(bufferedAtSnapshot).as("events waiting for the watermark at the snapshot").isPositive();
        OperatorSubtaskState snapshot = one.snapshot(1, 1);
        out.addAll(drain(one));
        one.close();

        List<KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord>> two = new ArrayList<>();
        int restoredBuffered = 0;
        for (int index = 0; index < 2; index++) {
            var h = TriggerHarnesses.keyedTriggers(ALL, backend, MAX_PARALLELISM, 2, index);
            h.setup();
            h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    snapshot, MAX_PARALLELISM, 1, 2, index));
            h.open();
            restoredBuffered += ((KeyedTriggersOperator) h.getOperator()).pendingEvents();
            two.add(h);
        }
        assertThat(restoredBuffered).isEqualTo(bufferedAtSnapshot);
        for (ShopperEvent e : events.subList(half, events.size())) {
            int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(e.userId, MAX_PARALLELISM, 2);
            two.get(owner).processElement(new StreamRecord<>(e, e.timestamp));
            maxSeen = Math.max(maxSeen, e.timestamp);
            for (var h : two) {
                h.processWatermark(new Watermark(watermarkAfter(maxSeen)));
            }
        }
        for (var h : two) {
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            out.addAll(drain(h));
            assertThat(((KeyedTriggersOperator) h.getOperator()).pendingEvents()).isZero();
            h.close();
        }
        assertThat(sorted(out)).usingRecursiveFieldByFieldElementComparator().isEqualTo(sorted(expected));
    }

    /** The watermark the job emits after each event: max event time so far − bound − 1. */
    private static long watermarkAfter(long maxSeen) {
        return maxSeen - OUT_OF_ORDERNESS - 1;
    }

    private static List<TriggerRecord> keyed(String enabled, List<ShopperEvent> events, long seed)
            throws Exception {
        TriggerSettings settings = settings(enabled, CACHES[(int) (seed % CACHES.length)]);
        Backend backend = seed % 2 == 0 ? Backend.HEAP : Backend.ROCKSDB;
        List<TriggerRecord> out = new ArrayList<>();
        KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> h =
                TriggerHarnesses.keyedTriggers(settings, backend);
        h.open();
        long maxSeen = Long.MIN_VALUE;
        for (int i = 0; i < events.size(); i++) {
            if (i == events.size() / 2) {
                OperatorSubtaskState snapshot = h.snapshot(1, 1);
                out.addAll(drain(h));
                h.close();
                h = TriggerHarnesses.keyedTriggers(settings, backend);
                h.setup();
                h.initializeState(snapshot);
                h.open();
            }
            ShopperEvent e = events.get(i);
            h.processElement(new StreamRecord<>(e, e.timestamp));
            maxSeen = Math.max(maxSeen, e.timestamp);
            h.processWatermark(new Watermark(watermarkAfter(maxSeen)));
        }
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        out.addAll(drain(h));
        h.snapshot(2, 2); // writes the progress cache to the state
        assertThat(keyedStateEntries(h, TriggerHarnesses.KEYED_STATES)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(((KeyedTriggersOperator) h.getOperator()).pendingEvents()).isZero();
        h.close();
        return out;
    }

    private static List<TriggerRecord> cepAll(List<ShopperEvent> events) throws Exception {
        List<TriggerRecord> all = new ArrayList<>(cepCart(events));
        all.addAll(cepCheckout(events));
        all.addAll(cepBrowse(events));
        all.addAll(cepSpikes(events));
        return all;
    }

    /** The CEP chain reads only adds, removals and orders, as the job's filter feeds it. */
    private static List<TriggerRecord> cepCart(List<ShopperEvent> events) throws Exception {
        try (SilencePipeline<Silence> pipeline = SilencePipeline.cart(ALL, Backend.HEAP)) {
            List<TriggerRecord> out = new ArrayList<>();
            long maxSeen = Long.MIN_VALUE;
            for (ShopperEvent e : events) {
                pipeline.send(e);
                maxSeen = Math.max(maxSeen, e.timestamp);
                out.addAll(pipeline.advanceTo(watermarkAfter(maxSeen)));
            }
            out.addAll(pipeline.advanceTo(Long.MAX_VALUE));
            return out;
        }
    }

    /** The CEP operator reads only checkouts and orders, as the job's filter feeds it. */
    private static List<TriggerRecord> cepCheckout(List<ShopperEvent> events) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> cep =
                TriggerHarnesses.cep(TriggerPatterns.checkoutAbandoned(ALL), new CheckoutAbandonedFunction(ALL),
                        Backend.HEAP)) {
            cep.open();
            List<TriggerRecord> out = new ArrayList<>();
            long maxSeen = Long.MIN_VALUE;
            for (ShopperEvent e : events) {
                if (e.type == EventType.CHECKOUT_STARTED || e.type == EventType.ORDER_COMPLETED) {
                    cep.processElement(new StreamRecord<>(e, e.timestamp));
                }
                maxSeen = Math.max(maxSeen, e.timestamp);
                cep.processWatermark(new Watermark(watermarkAfter(maxSeen)));
                out.addAll(drain(cep));
            }
            cep.processWatermark(new Watermark(Long.MAX_VALUE));
            out.addAll(drain(cep));
            return out;
        }
    }

    private static List<TriggerRecord> cepSpikes(List<ShopperEvent> events) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> cep =
                        TriggerHarnesses.cep(TriggerPatterns.engagementSpike(ALL), new EngagementSpikeFunction(),
                                Backend.HEAP);
                KeyedOneInputStreamOperatorTestHarness<String, TriggerRecord, TriggerRecord> cooldown =
                        TriggerHarnesses.spikeCooldown(ALL, Backend.HEAP)) {
            cep.open();
            cooldown.open();
            List<TriggerRecord> out = new ArrayList<>();
            long maxSeen = Long.MIN_VALUE;
            for (ShopperEvent e : events) {
                cep.processElement(new StreamRecord<>(e, e.timestamp));
                maxSeen = Math.max(maxSeen, e.timestamp);
                forward(cep, cooldown, watermarkAfter(maxSeen));
                out.addAll(drain(cooldown));
            }
            forward(cep, cooldown, Long.MAX_VALUE);
            out.addAll(drain(cooldown));
            return out;
        }
    }

    private static void forward(KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> cep,
            KeyedOneInputStreamOperatorTestHarness<String, TriggerRecord, TriggerRecord> cooldown, long watermark)
            throws Exception {
        cep.processWatermark(new Watermark(watermark));
        for (TriggerRecord candidate : drain(cep)) {
            cooldown.processElement(new StreamRecord<>(candidate, candidate.eventTime));
        }
        cooldown.processWatermark(new Watermark(watermark));
    }

    /** The CEP chain reads only views, adds and orders, as the job's filter feeds it. */
    private static List<TriggerRecord> cepBrowse(List<ShopperEvent> events) throws Exception {
        try (SilencePipeline<Silence> pipeline = SilencePipeline.browse(ALL, Backend.HEAP)) {
            List<TriggerRecord> out = new ArrayList<>();
            long maxSeen = Long.MIN_VALUE;
            for (ShopperEvent e : events) {
                pipeline.send(e);
                maxSeen = Math.max(maxSeen, e.timestamp);
                out.addAll(pipeline.advanceTo(watermarkAfter(maxSeen)));
            }
            out.addAll(pipeline.advanceTo(Long.MAX_VALUE));
            return out;
        }
    }

    /**
     * Events of a few users in arrival order: per user, sessions of dense activity (gaps of 0 to 25 s in
     * whole seconds, so ties, bursts and exact boundaries happen) separated by pauses around the timeouts; arrival shuffled within the
     * out-of-orderness bound (never late).
     */
    static List<ShopperEvent> randomStream(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ShopperEvent> events = new ArrayList<>();
        int serial = 0;
        for (String user : USERS) {
            long t = T0 + random.nextLong(MINUTE);
            int n = 40 + random.nextInt(80);
            for (int i = 0; i < n; i++) {
                int gapKind = random.nextInt(20);
                // Whole seconds, so that sums of gaps hit the timeout and the window exactly.
                long gap = gapKind == 0 ? 2 * MINUTE + SECOND * random.nextInt(-2, 3) // around the browse timeout
                        : gapKind == 1 ? MINUTE + SECOND * random.nextInt(-2, 3) // around the spike window
                        : gapKind == 2 ? 0 // a tie
                        : gapKind == 3 ? 90 * SECOND + SECOND * random.nextInt(-2, 3) // around the checkout timeout
                        : gapKind == 4 && random.nextInt(3) == 0
                                ? 4 * MINUTE + SECOND * random.nextInt(-2, 3) // with the cart timeout, the retention
                        : SECOND * random.nextInt(1, 26);
                t += gap;
                ShopperEvent e = new ShopperEvent();
                e.userId = user;
                e.timestamp = t;
                e.messageId = "m" + (serial++);
                int kind = random.nextInt(24);
                e.type = kind < 12 ? EventType.PRODUCT_VIEWED
                        : kind < 15 ? EventType.PRODUCT_ADDED
                        : kind < 16 ? EventType.ORDER_COMPLETED
                        : kind < 18 ? EventType.PRODUCT_REMOVED
                        : kind < 19 ? EventType.CHECKOUT_STARTED
                        : EventType.OTHER;
                e.event = e.type == EventType.OTHER ? "Page Viewed" : e.type.segmentName();
                if (e.type != EventType.OTHER && e.type != EventType.ORDER_COMPLETED
                        && e.type != EventType.CHECKOUT_STARTED) {
                    e.productId = "p" + random.nextInt(6);
                }
                if (e.type == EventType.PRODUCT_ADDED) {
                    e.price = random.nextInt(3) == 0 ? null : 5.0 + random.nextInt(20) / 4.0;
                    e.quantity = random.nextInt(3) == 0 ? null : 1 + random.nextInt(3);
                    e.currency = "EUR";
                    e.cartId = "c-" + user + "-" + random.nextInt(2);
                }
                if (e.type == EventType.PRODUCT_REMOVED) {
                    e.quantity = random.nextBoolean() ? null : 1 + random.nextInt(2);
                }
                if (e.type == EventType.CHECKOUT_STARTED) {
                    e.orderId = "o" + random.nextInt(4);
                    e.cartId = "c-" + user;
                    e.value = random.nextBoolean() ? null : 10.0 + random.nextInt(50);
                    e.revenue = random.nextBoolean() ? null : 12.5;
                    e.currency = "EUR";
                }
                events.add(e);
            }
        }
        // Arrival order: by time plus a random delay below the bound, so arrival is out of order but
        // never behind the watermark (max seen − bound − 1).
        List<long[]> arrival = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            arrival.add(new long[] {events.get(i).timestamp + random.nextLong(OUT_OF_ORDERNESS), i});
        }
        arrival.sort(Comparator.comparingLong((long[] a) -> a[0]).thenComparingLong(a -> a[1]));
        List<ShopperEvent> ordered = new ArrayList<>();
        for (long[] a : arrival) {
            ordered.add(events.get((int) a[1]));
        }
        return ordered;
    }

    private static List<TriggerRecord> sorted(List<TriggerRecord> records) {
        List<TriggerRecord> copy = new ArrayList<>(records);
        copy.sort(Comparator.comparing((TriggerRecord r) -> r.triggerId));
        return copy;
    }
}
