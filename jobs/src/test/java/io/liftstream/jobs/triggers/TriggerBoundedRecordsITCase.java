package io.liftstream.jobs.triggers;

import static io.liftstream.jobs.testkit.OversizedLines.KB_720;
import static io.liftstream.jobs.testkit.OversizedLines.MIB;
import static io.liftstream.jobs.testkit.OversizedLines.assertTooLarge;
import static io.liftstream.jobs.testkit.OversizedLines.padded;
import static io.liftstream.jobs.testkit.OversizedLines.utf8;
import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static io.liftstream.jobs.testkit.SegmentLines.productAdded;
import static io.liftstream.jobs.testkit.SegmentLines.productViewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.cli.RunSummary;
import io.liftstream.jobs.io.FileLines;
import io.liftstream.jobs.io.FileOutputs;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.testkit.CliRun;
import io.liftstream.jobs.testkit.MiniClusters;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Issue 13, bounded records, in the trigger job's file mode: a 1 MiB and a 720 KB line become
 * {@code too_large} dead letters of at most 4 KiB of line; a bot viewing 30,000 products 0.2 s apart
 * and a 5,000-line cart give small triggers with their full counts; every output record is under
 * 64 KiB, and the other shoppers' triggers are those of a clean run.
 */
class TriggerBoundedRecordsITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    private static final int BOT_VIEWS = 30_000;
    private static final int CART_LINES = 5_000;

    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    private static final class Timed {
        final long t;
        final String line;

        Timed(long t, String line) {
            this.t = t;
            this.line = line;
        }
    }

    private List<String> hostile(String mib, String kb720) throws Exception {
        List<Timed> all = new ArrayList<>();
        for (String line : TriggerJobFileITCase.goodEvents()) {
            all.add(new Timed(Instant.parse(mapper.readTree(line).get("timestamp").asText()).toEpochMilli(), line));
        }
        for (int i = 0; i < BOT_VIEWS; i++) {
            long t = T0 + i * 200L;
            all.add(new Timed(t, productViewed("u-bot", t, "bot-product-" + i)));
        }
        for (int i = 0; i < CART_LINES; i++) {
            long t = T0 + i * 100L;
            all.add(new Timed(t, productAdded("u-big-cart", t, "cart-product-" + i, i % 50 + 1, 1)));
        }
        all.add(new Timed(T0 + 20 * MINUTE, mib));
        all.add(new Timed(T0 + 40 * MINUTE, kb720));
        all.sort(Comparator.comparingLong(x -> x.t)); // stable: the good events keep their order
        return all.stream().map(x -> x.line).collect(Collectors.toList());
    }

    @Test
    void hugeLinesBotsAndHugeCartsGiveBoundedRecordsAndCountsAddUp() throws Exception {
        String mib = padded(productViewed("u-huge", T0 + 20 * MINUTE, "p-huge"), MIB);
        String kb720 = padded(productAdded("u-huge", T0 + 40 * MINUTE, "p-huge", 1, 1), KB_720);
        List<String> lines = hostile(mib, kb720);

        Run clean = run("clean", TriggerJobFileITCase.goodEvents());
        Run r = run("hostile", lines);

        // The two huge lines: dead letters with reason too_large and at most 4 KiB of the line.
        assertThat(r.deadLetters).hasSize(2);
        assertTooLarge(mapper.readTree(r.deadLetters.get(0)), mib);
        assertTooLarge(mapper.readTree(r.deadLetters.get(1)), kb720);
        assertThat(r.summary.deadLettered).isEqualTo(2);
        assertThat(r.summary.late).isZero();
        assertThat(r.summary.events + r.summary.deadLettered + r.summary.late).isEqualTo(lines.size());
        assertThat(r.lateEvents).isEmpty();

        // The bot: one browse_abandoned, small, with the full view count.
        List<JsonNode> triggers = new ArrayList<>();
        for (String t : r.triggers) {
            triggers.add(mapper.readTree(t));
        }
        List<JsonNode> bot = triggers.stream().filter(t -> t.get("user_id").asText().equals("u-bot")
                && t.get("trigger").asText().equals("browse_abandoned")).collect(Collectors.toList());
        assertThat(bot).hasSize(1);
        JsonNode browse = bot.get(0).get("context");
        assertThat(browse.get("view_count").asInt()).isEqualTo(BOT_VIEWS);
        assertThat(browse.get("product_ids")).hasSize(100);
        assertThat(browse.get("product_ids").get(0).asText()).isEqualTo("bot-product-0");
        assertThat(browse.get("product_ids").get(99).asText()).isEqualTo("bot-product-99");
        assertThat(browse.get("product_ids_truncated").asBoolean()).isTrue();
        assertThat(browse.get("last_viewed_at").asText()).isEqualTo(JsonLines.instant(T0 + (BOT_VIEWS - 1) * 200L));

        // The big cart: one cart_abandoned listing the 100 most valuable lines, with the full count and value.
        List<JsonNode> carts = triggers.stream().filter(t -> t.get("user_id").asText().equals("u-big-cart")
                && t.get("trigger").asText().equals("cart_abandoned")).collect(Collectors.toList());
        assertThat(carts).hasSize(1);
        JsonNode cart = carts.get(0).get("context");
        assertThat(cart.get("item_count").asInt()).isEqualTo(CART_LINES);
        assertThat(cart.get("value").asDouble()).isEqualTo(127_500.0); // 100 × (1 + 2 + … + 50)
        assertThat(cart.get("items")).hasSize(100);
        assertThat(cart.get("line_count").asInt()).isEqualTo(CART_LINES);
        assertThat(cart.get("items_truncated").asBoolean()).isTrue();
        for (JsonNode item : cart.get("items")) {
            assertThat(item.get("price").asDouble()).isEqualTo(50.0);
        }

        // Nothing written is over 64 KiB.
        for (List<String> out : List.of(r.triggers, r.deadLetters, r.lateEvents)) {
            for (String record : out) {
                assertThat(utf8(record)).isLessThan(64 * 1024);
            }
        }
        // Everyone else: the triggers of the clean run (detected_at follows the stream's watermark, so it differs).
        List<String> others = r.triggers.stream().filter(t -> !t.contains("\"user_id\":\"u-bot\"")
                && !t.contains("\"user_id\":\"u-big-cart\"")).map(TriggerBoundedRecordsITCase::withoutDetectedAt)
                .collect(Collectors.toList());
        assertThat(others).isEqualTo(clean.triggers.stream().map(TriggerBoundedRecordsITCase::withoutDetectedAt)
                .collect(Collectors.toList()));
    }

    @Test
    void bothEnginesListTheSameHundredProductsAndLines() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            lines.add(productViewed("u-bot", T0 + i * 1_000L, "bot-product-" + i));
            lines.add(productAdded("u-big-cart", T0 + i * 1_000L, "cart-product-" + i, i % 7 + 1, 1 + i % 3));
        }
        Configuration cep = new Configuration();
        cep.setString("liftstream.triggers.engine", "CEP");
        Run keyed = run("keyed", lines, new Configuration());
        Run patterns = run("cep", lines, cep);

        assertThat(patterns.triggers).isEqualTo(keyed.triggers);
        JsonNode browse = keyed.triggers.stream().map(this::json).filter(t -> t.get("trigger").asText().equals("browse_abandoned"))
                .findFirst().orElseThrow().get("context");
        assertThat(browse.get("view_count").asInt()).isEqualTo(150);
        assertThat(browse.get("product_ids")).hasSize(100);
        assertThat(browse.get("product_ids_truncated").asBoolean()).isTrue();
        JsonNode cart = keyed.triggers.stream().map(this::json).filter(t -> t.get("trigger").asText().equals("cart_abandoned"))
                .findFirst().orElseThrow().get("context");
        assertThat(cart.get("items")).hasSize(100);
        assertThat(cart.get("line_count").asInt()).isEqualTo(150);
        assertThat(cart.get("item_count").asInt()).isEqualTo(300); // 50 × (1 + 2 + 3)
    }

    @Test
    void theCommandLineAppliesAConfiguredLineLimit() throws Exception {
        String line = productViewed("u1", T0, "p1"); // about 160 bytes
        Path input = dir.resolve("cli.jsonl");
        Files.write(input, List.of(line, productViewed("u1", T0 + 1_000, "p")), StandardCharsets.UTF_8); // 1 byte shorter: at the limit
        Path output = dir.resolve("cli/triggers.jsonl");
        List<String> args = new ArrayList<>(List.of("triggers", "--input", input.toString(), "--output", output.toString(),
                "-D", "liftstream.input.max-line-bytes=" + (utf8(line) - 1)));
        args.addAll(CliRun.embedded(dir.resolve("cli-flink")));
        CliRun run = CliRun.of(args);

        assertThat(run.exitCode).as(run.err).isZero();
        List<String> deadLetters = Files.readAllLines(dir.resolve("cli/triggers.dead-letters.jsonl"));
        assertThat(deadLetters).hasSize(1);
        JsonNode dead = json(deadLetters.get(0));
        assertThat(dead.get("reason").asText())
                .isEqualTo("too_large: " + utf8(line) + " bytes, over liftstream.input.max-line-bytes = " + (utf8(line) - 1));
        assertThat(dead.get("line").asText()).isEqualTo(line); // under 4 KiB: whole
        assertThat(dead.has("truncated")).isFalse();
    }

    private JsonNode json(String line) {
        try {
            return mapper.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static String withoutDetectedAt(String trigger) {
        return trigger.replaceFirst("\"detected_at\":\"[^\"]*\",", "");
    }

    private Run run(String name, List<String> lines) throws Exception {
        return run(name, lines, new Configuration());
    }

    private Run run(String name, List<String> lines, Configuration base) throws Exception {
        Path input = dir.resolve(name + ".jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);
        Configuration conf = new Configuration(base);
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        FileOutputs outputs = new FileOutputs(dir.resolve(name + "/triggers.jsonl"), null, null);
        JobExecutionResult result = new TriggerJob(new FileLines(input.toString(), conf), outputs, conf).run(env);
        outputs.finish();
        return new Run(new RunSummary(result::getAccumulatorResult), Files.readAllLines(outputs.triggers()),
                Files.readAllLines(outputs.deadLetters()), Files.readAllLines(outputs.lateEvents()));
    }

    private static final class Run {
        final RunSummary summary;
        final List<String> triggers;
        final List<String> deadLetters;
        final List<String> lateEvents;

        Run(RunSummary summary, List<String> triggers, List<String> deadLetters, List<String> lateEvents) {
            this.summary = summary;
            this.triggers = triggers;
            this.deadLetters = deadLetters;
            this.lateEvents = lateEvents;
        }
    }
}
