package io.liftstream.jobs.triggers;

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

import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.cli.RunSummary;
import io.liftstream.jobs.io.FileLines;
import io.liftstream.jobs.io.FileOutputs;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.triggers.TriggerType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The trigger job end to end through the file mode, on a MiniCluster at parallelism 2 with RocksDB
 * state and checkpoints: exact triggers, dead letters and late events counted exactly, good events
 * unaffected by bad and late ones, and byte-identical output on every run.
 */
class TriggerJobFileITCase {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(PARALLELISM);

    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    /** Good events of seven shoppers, in time order (the shop's happy and unhappy paths). */
    static List<String> goodEvents() {
        List<String> lines = new ArrayList<>();
        lines.add(productAdded("u-cart", T0, "p1", 19.9, 2));
        lines.add(productAdded("u-cart-emptied", T0, "p1", 10, 1));
        lines.add(productAdded("u-buyer", T0, "p1", 19.9, 1));
        lines.add(productViewed("u-browse", T0, "p1"));
        lines.add(productViewed("u-browse-short", T0, "p1"));
        for (int i = 0; i < 25; i++) {
            lines.add(other("u-spike", T0 + i * 5 * SECOND, "Product Clicked"));
            if (i == 12) {
                lines.add(productAdded("u-cart", T0 + MINUTE, "p2", 5, 1));
                lines.add(checkoutStarted("u-buyer", T0 + MINUTE, "o1", 19.9));
            }
        }
        lines.add(productViewed("u-browse", T0 + 2 * MINUTE, "p2"));
        lines.add(productRemoved("u-cart-emptied", T0 + 2 * MINUTE, "p1", 1));
        lines.add(productViewed("u-browse-short", T0 + 2 * MINUTE, "p2"));
        lines.add(orderCompleted("u-buyer", T0 + 3 * MINUTE, "o1", 19.9));
        lines.add(productViewed("u-browse", T0 + 4 * MINUTE, "p3"));
        lines.add(productRemoved("u-cart", T0 + 5 * MINUTE, "p2", 1));
        lines.add(productAdded("u-checkout", T0 + 10 * MINUTE, "p3", 12, 1));
        lines.add(checkoutStarted("u-checkout", T0 + 12 * MINUTE, "o9", 12));
        lines.add(other("u-cart", T0 + 90 * MINUTE, "Signed Out"));
        return lines;
    }

    /** The same stream with three bad lines and two late events woven in. */
    static List<String> withBadAndLateLines() {
        List<String> lines = new ArrayList<>(goodEvents());
        int afterRemoval = lines.indexOf(productRemoved("u-cart", T0 + 5 * MINUTE, "p2", 1)) + 1;
        // Late (behind the stream by minutes, after u-checkout's checkout at T0+12m): an order that would have cancelled u-cart's abandonment,
        // and a view of a user seen nowhere else.
        lines.add(afterRemoval + 2, orderCompleted("u-cart", T0 + 2 * MINUTE, "o-late", 1));
        lines.add(afterRemoval + 2, productViewed("u-late", T0, "p9"));
        lines.add(3, "this is not json");
        lines.add(10, "{\"type\":\"track\",\"event\":\"Product Added\",\"timestamp\":\"2026-11-20T10:00:00Z\"}");
        lines.add(20, "{\"type\":\"track\",\"event\":\"Product Added\",\"userId\":\"u-x\",\"timestamp\":\"soon\"}");
        return lines;
    }

    private RunResult run(Path input, String name) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "200ms");
        conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        conf.setString("parallelism.default", String.valueOf(PARALLELISM));
        // The lone sign-out 78 min after the rest moves event time past every timeout; with the default
        // skew (1 h) a lone line that far ahead, the last of its input, is a future_timestamp dead letter.
        conf.set(io.liftstream.jobs.input.EventTimeOptions.MAX_FUTURE_SKEW, java.time.Duration.ofHours(2));
        conf.setString("pipeline.generic-types", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        FileOutputs outputs = new FileOutputs(dir.resolve(name + "/triggers.jsonl"), null, null);
        JobExecutionResult result = new TriggerJob(new FileLines(input.toString()), outputs, conf).run(env);
        outputs.finish();
        return new RunResult(new RunSummary(result::getAccumulatorResult),
                Files.readAllLines(outputs.triggers()), Files.readAllLines(outputs.deadLetters()),
                Files.readAllLines(outputs.lateEvents()));
    }

    private Path write(String name, List<String> lines) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void detectsTheExpectedTriggersWithTheirContext() throws Exception {
        RunResult r = run(write("good.jsonl", goodEvents()), "good");

        List<JsonNode> triggers = parse(r.triggers);
        assertThat(triggers).extracting(t -> t.get("trigger").asText() + " " + t.get("user_id").asText() + " "
                        + t.get("event_time").asText())
                .containsExactly(
                        "engagement_spike u-spike 2026-11-20T10:01:35.000Z",
                        "cart_abandoned u-cart 2026-11-20T10:31:00.000Z",
                        "browse_abandoned u-browse 2026-11-20T10:34:00.000Z",
                        "cart_abandoned u-checkout 2026-11-20T10:40:00.000Z",
                        "checkout_abandoned u-checkout 2026-11-20T11:12:00.000Z");

        JsonNode cart = triggers.get(1).get("context");
        assertThat(cart.get("item_count").asInt()).isEqualTo(2);
        assertThat(cart.get("value").asDouble()).isEqualTo(39.8);
        assertThat(cart.get("items")).hasSize(1);
        assertThat(cart.get("items").get(0).get("product_id").asText()).isEqualTo("p1");
        assertThat(cart.get("first_added_at").asText()).isEqualTo("2026-11-20T10:00:00.000Z");
        assertThat(cart.get("last_added_at").asText()).isEqualTo("2026-11-20T10:01:00.000Z");
        assertThat(triggers.get(1).get("anchor_message_id").asText()).isEqualTo("u-cart-" + (T0 + MINUTE) + "-Product_Added");

        JsonNode browse = triggers.get(2).get("context");
        assertThat(browse.get("view_count").asInt()).isEqualTo(3);
        assertThat(browse.get("product_ids").toString()).isEqualTo("[\"p1\",\"p2\",\"p3\"]");

        JsonNode checkout = triggers.get(4).get("context");
        assertThat(checkout.get("order_id").asText()).isEqualTo("o9");
        assertThat(checkout.get("value").asDouble()).isEqualTo(12.0);

        JsonNode spike = triggers.get(0).get("context");
        assertThat(spike.get("event_count").asInt()).isEqualTo(20);
        assertThat(spike.get("window_start").asText()).isEqualTo("2026-11-20T10:00:00.000Z");

        for (JsonNode t : triggers) {
            assertThat(t.get("detected_at").asText()).isGreaterThanOrEqualTo(t.get("event_time").asText());
        }
        assertThat(r.summary.events).isEqualTo(goodEvents().size());
        assertThat(r.summary.late).isZero();
        assertThat(r.summary.deadLettered).isZero();
        assertThat(r.summary.triggers.get(TriggerType.CART_ABANDONED)).isEqualTo(2);
        assertThat(r.summary.totalTriggers()).isEqualTo(5);
    }

    @Test
    void badAndLateLinesAreCountedExactlyAndLeaveGoodEventsUnaffected() throws Exception {
        RunResult clean = run(write("good.jsonl", goodEvents()), "clean");
        RunResult dirty = run(write("dirty.jsonl", withBadAndLateLines()), "dirty");

        assertThat(dirty.triggers).isEqualTo(clean.triggers);
        assertThat(dirty.summary.events).isEqualTo(clean.summary.events);
        assertThat(dirty.summary.deadLettered).isEqualTo(3);
        assertThat(dirty.summary.late).isEqualTo(2);

        assertThat(parse(dirty.deadLetters)).extracting(d -> d.get("reason").asText().split(":")[0])
                .containsExactly("malformed_json", "missing_identity", "invalid_timestamp");
        assertThat(parse(dirty.deadLetters).get(0).get("line").asText()).isEqualTo("this is not json");
        List<JsonNode> late = parse(dirty.lateEvents);
        assertThat(late).extracting(l -> l.get("reason").asText()).containsOnly("late");
        assertThat(late).extracting(l -> l.get("line").asText())
                .containsExactlyInAnyOrder(orderCompleted("u-cart", T0 + 2 * MINUTE, "o-late", 1),
                        productViewed("u-late", T0, "p9"));
        assertThat(late.get(0).get("watermark").asText()).isEqualTo(JsonLines.instant(T0 + 12 * MINUTE - 10 * SECOND - 1));
    }

    @Test
    void aReplayIsByteIdenticalAndADirectoryReadsInPathOrder() throws Exception {
        List<String> lines = withBadAndLateLines();
        Path file = write("replay/all.jsonl", lines);
        RunResult first = run(file, "first");
        RunResult second = run(file, "second");
        write("split/part-b.jsonl", lines.subList(lines.size() / 2, lines.size()));
        write("split/part-a.jsonl", lines.subList(0, lines.size() / 2));
        RunResult fromDirectory = run(dir.resolve("split"), "directory");

        for (RunResult other : List.of(second, fromDirectory)) {
            assertThat(other.triggers).isEqualTo(first.triggers);
            assertThat(other.deadLetters).isEqualTo(first.deadLetters);
            assertThat(other.lateEvents).isEqualTo(first.lateEvents);
        }
        assertThat(first.triggers).hasSize(5);
    }

    private List<JsonNode> parse(List<String> lines) {
        return lines.stream().map(l -> {
            try {
                return mapper.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).collect(Collectors.toList());
    }

    private static final class RunResult {
        final RunSummary summary;
        final List<String> triggers;
        final List<String> deadLetters;
        final List<String> lateEvents;

        RunResult(RunSummary summary, List<String> triggers, List<String> deadLetters, List<String> lateEvents) {
            this.summary = summary;
            this.triggers = triggers;
            this.deadLetters = deadLetters;
            this.lateEvents = lateEvents;
        }
    }
}
