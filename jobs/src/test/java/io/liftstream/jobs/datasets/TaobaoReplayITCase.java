package io.liftstream.jobs.datasets;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.SECOND;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static io.liftstream.jobs.testkit.SegmentLines.checkoutStarted;
import static io.liftstream.jobs.testkit.SegmentLines.orderCompleted;
import static io.liftstream.jobs.testkit.SegmentLines.other;
import static io.liftstream.jobs.testkit.SegmentLines.productAdded;
import static io.liftstream.jobs.testkit.SegmentLines.productRemoved;
import static io.liftstream.jobs.testkit.SegmentLines.productViewed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.cli.RunSummary;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.io.FileLines;
import io.liftstream.jobs.io.FileOutputs;
import io.liftstream.jobs.triggers.TriggerJob;
import io.liftstream.triggers.TriggerOptions;
import io.liftstream.triggers.TriggerSettings;
import io.liftstream.triggers.TriggerType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Real shoppers through the trigger job: the Taobao User Behavior slices (shared/data), converted
 * by {@link TaobaoConverter} and replayed through {@link FileLines} and {@link FileOutputs} (the path
 * {@code liftstream triggers --input} takes) on a MiniCluster at parallelism 2, must give exactly
 * the triggers of {@link TriggerOracle}, an independent plain-Java reading of the definitions: the
 * same counts per type and the same set of (trigger, user, event time, anchor message id). The data
 * tests are skipped when the data folder is absent.
 *
 * <p>The real data has no Checkout Started and, at the default settings, a single engagement spike;
 * a replay with sensitive settings and a hand-made file of boundary cases cover what it does not.
 */
class TaobaoReplayITCase {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(PARALLELISM);

    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void twoHourSliceOf66kShoppersMatchesTheOracle() throws Exception {
        replay("taobao-userbehavior", TriggerOracle.Settings.defaults());
    }

    @Test
    void nineDayHistoriesOf114ShoppersMatchTheOracle() throws Exception {
        replay("taobao-userbehavior-9day", TriggerOracle.Settings.defaults());
    }

    /**
     * Issue 13: one event dated 2199 early in the replay (line 101 of 110,301). Before, it moved event
     * time for everyone: 110,199 later events were late and 5 of 5,644 carts detected. Now it is a
     * dead letter with reason {@code future_timestamp}, nothing is late, and the job finds exactly the
     * oracle's triggers for the file without it (5,644 cart abandonments).
     */
    @Test
    void aSingleEventDatedIn2199IsDeadLetteredAndChangesNothingElse() throws Exception {
        Path data = sharedData();
        assumeTrue(data != null, "shared/data not found above " + Path.of("").toAbsolutePath());
        Path csv = data.resolve("taobao-userbehavior").resolve("UserBehavior.csv");
        assumeTrue(Files.isRegularFile(csv), csv + " is absent");

        Path clean = dir.resolve("taobao-clean.jsonl");
        TaobaoConverter.convert(csv, clean);
        List<String> lines = new ArrayList<>(Files.readAllLines(clean));
        String future = "{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"broken-clock\","
                + "\"messageId\":\"from-2199\",\"timestamp\":\"2199-06-01T12:00:00.000Z\","
                + "\"properties\":{\"product_id\":\"p1\"}}";
        lines.add(100, future);
        Path injected = dir.resolve("taobao-2199.jsonl");
        Files.write(injected, lines);

        TriggerOracle.Result expected = TriggerOracle.run(TriggerOracle.read(clean), TriggerOracle.Settings.defaults());
        assertThat(expected.counts().get("cart_abandoned")).isEqualTo(5_644L);

        Replay actual = runJob(injected, "taobao-2199", TriggerOracle.Settings.defaults());
        assertThat(actual.summary.deadLettered).isEqualTo(1);
        assertThat(actual.summary.late).isZero();
        assertThat(actual.summary.events).isEqualTo(lines.size() - 1);
        assertThat(actual.summary.triggers.get(TriggerType.CART_ABANDONED)).isEqualTo(5_644L);
        List<String> dead = Files.readAllLines(dir.resolve("taobao-2199/dead-letters.jsonl"));
        assertThat(dead).hasSize(1);
        JsonNode letter = mapper.readTree(dead.get(0));
        assertThat(letter.get("reason").asText()).startsWith("future_timestamp: 2199-06-01T12:00:00Z is more than PT1H ahead");
        assertThat(letter.get("line").asText()).isEqualTo(future);
        assertThat(Files.readAllLines(dir.resolve("taobao-2199/late-events.jsonl"))).isEmpty();
        assertThat(difference(expected.triggers(), actual.triggers)).as("in the oracle, not in Flink's output").isEmpty();
        assertThat(difference(actual.triggers, expected.triggers())).as("in Flink's output, not in the oracle").isEmpty();
    }

    /**
     * The defaults leave engagement_spike nearly idle on this data (one spike); sensitive settings
     * give many spikes, cooldown drops and 2-view runs, so the two readings meet on more cases.
     */
    @Test
    void nineDayHistoriesWithSensitiveSettingsMatchTheOracle() throws Exception {
        replay("taobao-userbehavior-9day", new TriggerOracle.Settings(10_000, 10 * MINUTE, 60 * MINUTE, 2,
                10 * MINUTE, 5, 2 * MINUTE));
    }

    /**
     * Hand-made users on the boundaries of every definition (an event exactly at the timeout, a
     * removal at the abandonment instant, a spike spanning exactly the window, a spike inside the
     * cooldown of an emitted one but not of a dropped one), so the oracle and the job are compared
     * where the data has no such cases, checkout_abandoned included.
     */
    @Test
    void boundaryCasesMatchTheOracle() throws Exception {
        List<TimedLine> lines = new ArrayList<>();
        // cart_abandoned
        add(lines, T0, productAdded("c-two-silences", T0, "p1", 5, 1));
        add(lines, T0 + 30 * MINUTE, productAdded("c-two-silences", T0 + 30 * MINUTE, "p2", 5, 1));
        add(lines, T0, productAdded("c-emptied", T0, "p1", 5, 1));
        add(lines, T0 + 10 * MINUTE, "{\"type\":\"track\",\"event\":\"Product Removed\",\"userId\":\"c-emptied\","
                + "\"messageId\":\"c-emptied-rm\",\"timestamp\":\"" + Instant.ofEpochMilli(T0 + 10 * MINUTE)
                + "\",\"properties\":{\"product_id\":\"p1\"}}");
        add(lines, T0, productAdded("c-partly-removed", T0, "p1", 5, 2));
        add(lines, T0 + MINUTE, productRemoved("c-partly-removed", T0 + MINUTE, "p1", 1));
        add(lines, T0, productAdded("c-removed-at-deadline", T0, "p1", 5, 1));
        add(lines, T0 + 30 * MINUTE, productRemoved("c-removed-at-deadline", T0 + 30 * MINUTE, "p1", 1));
        add(lines, T0, productAdded("c-order-at-deadline", T0, "p1", 5, 1));
        add(lines, T0 + 30 * MINUTE, orderCompleted("c-order-at-deadline", T0 + 30 * MINUTE, "o1", 5));
        add(lines, T0, productAdded("c-order-just-before", T0, "p1", 5, 1));
        add(lines, T0 + 30 * MINUTE - 1, orderCompleted("c-order-just-before", T0 + 30 * MINUTE - 1, "o1", 5));
        add(lines, T0, productAdded("c-after-order", T0, "p1", 5, 1));
        add(lines, T0 + MINUTE, orderCompleted("c-after-order", T0 + MINUTE, "o1", 5));
        add(lines, T0 + 2 * MINUTE, productAdded("c-after-order", T0 + 2 * MINUTE, "p2", 5, 1));
        // checkout_abandoned
        add(lines, T0, checkoutStarted("k-restarted", T0, "o1", 9));
        add(lines, T0 + 50 * MINUTE, checkoutStarted("k-restarted", T0 + 50 * MINUTE, "o1", 9));
        add(lines, T0, checkoutStarted("k-order-at-deadline", T0, "o1", 9));
        add(lines, T0 + 60 * MINUTE, orderCompleted("k-order-at-deadline", T0 + 60 * MINUTE, "o1", 9));
        add(lines, T0, checkoutStarted("k-completed", T0, "o1", 9));
        add(lines, T0 + 59 * MINUTE, orderCompleted("k-completed", T0 + 59 * MINUTE, "o1", 9));
        // browse_abandoned
        for (int i = 0; i < 3; i++) {
            long t = T0 + i * (30 * MINUTE - 1);
            add(lines, t, productViewed("b-gaps-just-below", t, "p" + i));
        }
        for (long t : new long[] {T0, T0 + 30 * MINUTE, T0 + 31 * MINUTE, T0 + 32 * MINUTE}) {
            add(lines, t, productViewed("b-gap-at-timeout", t, "p" + t));
        }
        add(lines, T0, productViewed("b-broken", T0, "p1"));
        add(lines, T0 + MINUTE, productViewed("b-broken", T0 + MINUTE, "p2"));
        add(lines, T0 + 2 * MINUTE, productAdded("b-broken", T0 + 2 * MINUTE, "p2", 5, 1));
        add(lines, T0 + 3 * MINUTE, productViewed("b-broken", T0 + 3 * MINUTE, "p3"));
        for (int i = 0; i < 3; i++) {
            add(lines, T0 + i * MINUTE, productViewed("b-add-at-deadline", T0 + i * MINUTE, "p" + i));
            add(lines, T0 + i * MINUTE + SECOND, other("b-neutral", T0 + i * MINUTE + SECOND, "Product Clicked"));
            add(lines, T0 + i * MINUTE + 2 * SECOND, productViewed("b-neutral", T0 + i * MINUTE + 2 * SECOND, "p" + i));
        }
        add(lines, T0 + 32 * MINUTE, productAdded("b-add-at-deadline", T0 + 32 * MINUTE, "p9", 5, 1));
        // engagement_spike: spikes at 190 s, 390 s (inside the first one's cooldown: dropped) and
        // 590 s (400 s after the last emitted one, 200 s after the dropped one: emitted)
        for (int i = 0; i < 60; i++) {
            add(lines, T0 + i * 10 * SECOND, other("s-cooldown", T0 + i * 10 * SECOND, "Product Clicked"));
        }
        for (int i = 0; i < 19; i++) {
            add(lines, T0 + i * SECOND, other("s-exactly-window", T0 + i * SECOND, "Product Clicked"));
            add(lines, T0 + i * SECOND, other("s-just-inside", T0 + i * SECOND, "Product Clicked"));
        }
        add(lines, T0 + 5 * MINUTE, other("s-exactly-window", T0 + 5 * MINUTE, "Product Clicked"));
        add(lines, T0 + 5 * MINUTE - 1, other("s-just-inside", T0 + 5 * MINUTE - 1, "Product Clicked"));

        lines.sort(Comparator.comparingLong(TimedLine::time)); // stable: in time order, no late events
        Path events = dir.resolve("boundaries.jsonl");
        Files.write(events, lines.stream().map(TimedLine::line).collect(Collectors.toList()), StandardCharsets.UTF_8);
        TriggerOracle.Result expected = compare(events, "boundaries", TriggerOracle.Settings.defaults());

        // The oracle itself, checked by hand against the definitions (offsets from T0).
        assertThat(expected.triggers()).extracting(t -> t.trigger() + " " + t.userId() + " "
                        + Duration.ofMillis(t.eventTime() - T0))
                .containsExactlyInAnyOrder(
                        "cart_abandoned c-two-silences PT30M",
                        "cart_abandoned c-two-silences PT1H",
                        "cart_abandoned c-partly-removed PT30M",
                        "cart_abandoned c-removed-at-deadline PT30M",
                        "cart_abandoned c-order-at-deadline PT30M",
                        "cart_abandoned c-after-order PT32M",
                        "cart_abandoned b-broken PT32M",
                        "cart_abandoned b-add-at-deadline PT1H2M",
                        "checkout_abandoned k-restarted PT1H50M",
                        "checkout_abandoned k-order-at-deadline PT1H",
                        "browse_abandoned b-gaps-just-below PT1H29M59.998S",
                        "browse_abandoned b-gap-at-timeout PT1H2M",
                        "browse_abandoned b-add-at-deadline PT32M",
                        "browse_abandoned b-neutral PT32M2S",
                        "engagement_spike s-cooldown PT3M10S",
                        "engagement_spike s-cooldown PT9M50S",
                        "engagement_spike s-just-inside PT4M59.999S");
    }

    @Test
    void theOracleUsesTheProductionDefaults() {
        TriggerSettings prod = TriggerSettings.defaults();
        TriggerOracle.Settings oracle = TriggerOracle.Settings.defaults();
        assertThat(Duration.ofMillis(oracle.cartTimeout())).isEqualTo(prod.cartTimeout);
        assertThat(Duration.ofMillis(oracle.checkoutTimeout())).isEqualTo(prod.checkoutTimeout);
        assertThat(oracle.browseViews()).isEqualTo(prod.browseViews);
        assertThat(Duration.ofMillis(oracle.browseTimeout())).isEqualTo(prod.browseTimeout);
        assertThat(oracle.spikeCount()).isEqualTo(prod.spikeCount);
        assertThat(Duration.ofMillis(oracle.spikeWindow())).isEqualTo(prod.spikeWindow);
        assertThat(Duration.ofMillis(oracle.outOfOrderness())).isEqualTo(EventTimeOptions.OUT_OF_ORDERNESS.defaultValue());
    }

    private void replay(String dataset, TriggerOracle.Settings settings) throws Exception {
        Path data = sharedData();
        assumeTrue(data != null, "shared/data not found above " + Path.of("").toAbsolutePath());
        Path csv = data.resolve(dataset).resolve("UserBehavior.csv");
        assumeTrue(Files.isRegularFile(csv), csv + " is absent");

        Path events = dir.resolve(dataset + ".jsonl");
        TaobaoConverter.Summary converted = TaobaoConverter.convert(csv, events);
        List<TriggerOracle.Event> input = TriggerOracle.read(events);
        assertThat(input).hasSize(Files.readAllLines(csv).size()).hasSize((int) converted.events);
        for (int i = 1; i < input.size(); i++) {
            assertThat(input.get(i).time()).as("converted event time strictly increases (line %d)", i + 1)
                    .isGreaterThan(input.get(i - 1).time());
        }
        compare(events, dataset, settings);
    }

    /** Runs the oracle and the job over {@code events} with the same settings; asserts they agree. */
    private TriggerOracle.Result compare(Path events, String name, TriggerOracle.Settings settings) throws Exception {
        List<TriggerOracle.Event> input = TriggerOracle.read(events);
        for (int i = 1; i < input.size(); i++) {
            assertThat(input.get(i).time()).as("event time never decreases (line %d)", i + 1)
                    .isGreaterThanOrEqualTo(input.get(i - 1).time());
        }
        TriggerOracle.Result expected = TriggerOracle.run(input, settings);
        assertThat(expected.late()).as("late events in a replay sorted by time").isEmpty();

        Replay actual = runJob(events, name, settings);
        assertThat(actual.summary.events).isEqualTo(input.size());
        assertThat(actual.summary.late).isZero();
        assertThat(actual.summary.deadLettered).isZero();
        assertThat(actual.triggers).as("no duplicate triggers").hasSize(actual.lines);

        Map<String, Long> flinkCounts = new LinkedHashMap<>();
        for (TriggerType type : TriggerType.values()) {
            flinkCounts.put(type.id(), actual.summary.triggers.get(type));
        }
        System.out.printf("%s %s: %d events, %d users; oracle %s; flink %s%n", name, settings, input.size(),
                input.stream().map(TriggerOracle.Event::userId).distinct().count(), expected.counts(), flinkCounts);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(flinkCounts).as("trigger counts (accumulators)").isEqualTo(expected.counts());
        soft.assertThat(counts(actual.triggers)).as("trigger counts (output file)").isEqualTo(expected.counts());
        soft.assertThat(difference(expected.triggers(), actual.triggers)).as("in the oracle, not in Flink's output")
                .isEmpty();
        soft.assertThat(difference(actual.triggers, expected.triggers())).as("in Flink's output, not in the oracle")
                .isEmpty();
        soft.assertAll();
        return expected;
    }

    private Replay runJob(Path events, String name, TriggerOracle.Settings s) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "hashmap");
        conf.setString("execution.checkpointing.interval", "1s");
        conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        conf.setString("parallelism.default", String.valueOf(PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        conf.set(EventTimeOptions.OUT_OF_ORDERNESS, Duration.ofMillis(s.outOfOrderness()));
        conf.set(TriggerOptions.CART_ABANDONED_TIMEOUT, Duration.ofMillis(s.cartTimeout()));
        conf.set(TriggerOptions.CHECKOUT_ABANDONED_TIMEOUT, Duration.ofMillis(s.checkoutTimeout()));
        conf.set(TriggerOptions.BROWSE_ABANDONED_VIEWS, s.browseViews());
        conf.set(TriggerOptions.BROWSE_ABANDONED_TIMEOUT, Duration.ofMillis(s.browseTimeout()));
        conf.set(TriggerOptions.ENGAGEMENT_SPIKE_COUNT, s.spikeCount());
        conf.set(TriggerOptions.ENGAGEMENT_SPIKE_WINDOW, Duration.ofMillis(s.spikeWindow()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        FileOutputs outputs = new FileOutputs(dir.resolve(name + "/triggers.jsonl"),
                dir.resolve(name + "/dead-letters.jsonl"), dir.resolve(name + "/late-events.jsonl"));
        JobExecutionResult result = new TriggerJob(new FileLines(events.toString()), outputs, conf).run(env);
        outputs.finish();
        List<String> lines = Files.readAllLines(outputs.triggers());
        Set<TriggerOracle.Trigger> triggers = new HashSet<>();
        for (String line : lines) {
            JsonNode t = mapper.readTree(line);
            triggers.add(new TriggerOracle.Trigger(t.get("trigger").asText(), t.get("user_id").asText(),
                    Instant.parse(t.get("event_time").asText()).toEpochMilli(), t.get("anchor_message_id").asText()));
        }
        return new Replay(new RunSummary(result::getAccumulatorResult), lines.size(), triggers);
    }

    private static void add(List<TimedLine> lines, long time, String line) {
        lines.add(new TimedLine(time, line));
    }

    private record TimedLine(long time, String line) {}

    private static Map<String, Long> counts(Set<TriggerOracle.Trigger> triggers) {
        Map<String, Long> counts = new LinkedHashMap<>();
        TriggerOracle.TRIGGERS.forEach(t -> counts.put(t, 0L));
        triggers.forEach(t -> counts.merge(t.trigger(), 1L, Long::sum));
        return counts;
    }

    /** Up to 20 members of {@code a} missing from {@code b}, in time order, for a readable failure. */
    private static List<String> difference(Set<TriggerOracle.Trigger> a, Set<TriggerOracle.Trigger> b) {
        return a.stream().filter(t -> !b.contains(t))
                .sorted((x, y) -> Long.compare(x.eventTime(), y.eventTime()))
                .limit(20)
                .map(TriggerOracle.Trigger::toString)
                .collect(Collectors.toList());
    }

    /** The nearest {@code shared/data} above the working directory (the build runs tests in jobs/). */
    private static Path sharedData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/data"))) {
                return p.resolve("shared/data");
            }
        }
        return null;
    }

    private static final class Replay {
        final RunSummary summary;
        final int lines;
        final Set<TriggerOracle.Trigger> triggers;

        Replay(RunSummary summary, int lines, Set<TriggerOracle.Trigger> triggers) {
            this.summary = summary;
            this.lines = lines;
            this.triggers = triggers;
        }
    }
}
