package io.liftstream.jobs.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.liftstream.jobs.cli.RunSummary;
import io.liftstream.jobs.io.FileLines;
import io.liftstream.jobs.io.FileOutputs;
import io.liftstream.jobs.triggers.TriggerJob;
import io.liftstream.triggers.TriggerSettings;
import io.liftstream.triggers.TriggerType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.assertj.core.api.SoftAssertions;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * same counts per type and the same set of (trigger, user, event time, anchor message id). Skipped
 * when the data folder is absent.
 */
class TaobaoReplayITCase {
    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM)
                    .build());

    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void twoHourSliceOf66kShoppersMatchesTheOracle() throws Exception {
        replay("taobao-userbehavior");
    }

    @Test
    void nineDayHistoriesOf114ShoppersMatchTheOracle() throws Exception {
        replay("taobao-userbehavior-9day");
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
        assertThat(Duration.ofMillis(oracle.outOfOrderness()))
                .isEqualTo(new Configuration().get(io.liftstream.jobs.input.EventTimeOptions.OUT_OF_ORDERNESS));
    }

    private void replay(String dataset) throws Exception {
        Path data = sharedData();
        assumeTrue(data != null, "shared/data not found above " + Path.of("").toAbsolutePath());
        Path csv = data.resolve(dataset).resolve("UserBehavior.csv");
        assumeTrue(Files.isRegularFile(csv), csv + " is absent");

        Path events = dir.resolve(dataset + ".jsonl");
        TaobaoConverter.Summary converted = TaobaoConverter.convert(csv, events);
        List<TriggerOracle.Event> input = TriggerOracle.read(events);
        assertThat(input).hasSize((int) converted.events);
        for (int i = 1; i < input.size(); i++) {
            assertThat(input.get(i).time()).as("event time strictly increases (line %d)", i + 1)
                    .isGreaterThan(input.get(i - 1).time());
        }

        TriggerOracle.Result expected = TriggerOracle.run(input, TriggerOracle.Settings.defaults());
        assertThat(expected.late()).as("late events in a sorted, 1 ms-spaced replay").isEmpty();

        Replay actual = runJob(events, dataset);
        assertThat(actual.summary.events).isEqualTo(input.size());
        assertThat(actual.summary.late).isZero();
        assertThat(actual.summary.deadLettered).isZero();
        assertThat(actual.triggers).as("no duplicate triggers").hasSize(actual.lines);

        Map<String, Long> flinkCounts = new LinkedHashMap<>();
        for (TriggerType type : TriggerType.values()) {
            flinkCounts.put(type.id(), actual.summary.triggers.get(type));
        }
        System.out.printf("%s: %d events, %d users; oracle %s; flink %s%n", dataset, converted.events, converted.users,
                expected.counts(), flinkCounts);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(flinkCounts).as("trigger counts (accumulators)").isEqualTo(expected.counts());
        soft.assertThat(counts(actual.triggers)).as("trigger counts (output file)").isEqualTo(expected.counts());
        soft.assertThat(difference(expected.triggers(), actual.triggers)).as("in the oracle, not in Flink's output")
                .isEmpty();
        soft.assertThat(difference(actual.triggers, expected.triggers())).as("in Flink's output, not in the oracle")
                .isEmpty();
        soft.assertAll();
    }

    private Replay runJob(Path events, String name) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "hashmap");
        conf.setString("execution.checkpointing.interval", "1s");
        conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        conf.setString("parallelism.default", String.valueOf(PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        FileOutputs outputs = new FileOutputs(dir.resolve(name + "/triggers.jsonl"), null, null);
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
