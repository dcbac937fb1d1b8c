package io.liftstream.jobs.results;

import static io.liftstream.jobs.testkit.ResultsLines.assigned;
import static io.liftstream.jobs.testkit.ResultsLines.decision;
import static io.liftstream.jobs.testkit.ResultsLines.holdout;
import static io.liftstream.jobs.testkit.ResultsLines.order;
import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.SECOND;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code liftstream results} over files on the embedded default (RocksDB, parallelism 2,
 * checkpoints): a small experiment whose every number is known by hand, bad lines on each input, a
 * late event, a conflict, a holdout, a guardrail and a stop; the run is byte-identical when repeated.
 */
class ResultsCommandITCase {
    static final long HOUR = 60 * MINUTE;
    static final String EXP = "checkout-test";
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir Path dir;

    static String definition(String status, Long timestamp) {
        return "{\"experiment_id\":\"" + EXP + "\",\"status\":\"" + status + "\","
                + "\"arms\":[{\"name\":\"control\",\"weight\":0.5},{\"name\":\"treatment\",\"weight\":0.5}],"
                + "\"holdout_pct\":10,\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT24H\"},"
                + "\"analysis\":{\"method\":\"sequential\",\"guardrails\":[{\"name\":\"revenue\",\"event\":\"Order Completed\","
                + "\"value\":\"revenue\",\"window\":\"PT24H\",\"desired\":\"increase\"}]}"
                + (timestamp == null ? "" : ",\"timestamp\":\"" + JsonLines.instant(timestamp) + "\"") + "}";
    }

    static List<String> experiments() {
        return List.of(
                definition("running", null),
                "{\"experiment_id\":\"broken\",\"arms\":[{\"name\":\"a\",\"weight\":0.9},{\"name\":\"b\",\"weight\":0.9}]}",
                definition("stopped", T0 + 3 * HOUR));
    }

    static List<String> decisions() {
        return List.of(
                assigned("c1", EXP, "control", T0 + MINUTE),
                assigned("t1", EXP, "treatment", T0 + MINUTE),
                assigned("c2", EXP, "control", T0 + 2 * MINUTE),
                assigned("t2", EXP, "treatment", T0 + 2 * MINUTE),
                assigned("c3", EXP, "control", T0 + 3 * MINUTE),
                assigned("t3", EXP, "treatment", T0 + 4 * MINUTE),
                holdout("h1", EXP, "control", T0 + 5 * MINUTE),
                holdout("h2", EXP, "treatment", T0 + 6 * MINUTE),
                decision("n1", EXP, null, false, "consent", T0 + 7 * MINUTE),
                "{\"user_id\":\"x\",\"experiment_id\":\"" + EXP + "\",\"reason\":\"assigned\",\"timestamp\":\"2026-11-20T10:08:00Z\"}",
                "not json",
                assigned("t1", EXP, "control", T0 + 70 * MINUTE),
                decision("c1", EXP, "control", false, "sticky", T0 + 80 * MINUTE));
    }

    static List<String> events() {
        return List.of(
                order("c2", T0 - 5 * MINUTE, 99),
                order("c1", T0 + 10 * MINUTE, 10),
                order("t1", T0 + 11 * MINUTE, 20),
                order("t2", T0 + 12 * MINUTE, 30),
                order("h1", T0 + 13 * MINUTE, 7),
                order("x9", T0 + 20 * MINUTE, 50),
                order("c3", T0 + 20 * MINUTE - 30 * SECOND, 40),
                "{\"type\":\"track\",\"event\":\"Order Completed\",\"timestamp\":\"2026-11-20T10:30:00Z\"}",
                order("t1", T0 + 90 * MINUTE, 5),
                order("t3", T0 + 25 * HOUR + 4 * MINUTE, 60));
    }

    private void fixture() throws Exception {
        Files.write(dir.resolve("experiments.jsonl"), experiments());
        Files.write(dir.resolve("decisions.jsonl"), decisions());
        Files.write(dir.resolve("events.jsonl"), events());
    }

    /** The numbers every mode must give for the fixture's last result. */
    static void assertLastResult(JsonNode last) {
        assertThat(last.get("experiment_id").asText()).isEqualTo(EXP);
        assertThat(last.get("arms").get(0).get("n").asLong()).isEqualTo(3);
        assertThat(last.get("arms").get(0).get("mean").asDouble()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(last.get("arms").get(1).get("n").asLong()).isEqualTo(3);
        assertThat(last.get("arms").get(1).get("mean").asDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(last.get("exposure_conflicts").asLong()).isEqualTo(1);
        assertThat(last.get("holdout").get("arms").get(0).get("n").asLong()).isEqualTo(2);
        assertThat(last.get("guardrails").get(0).get("arms").get(1).get("mean").asDouble()).isCloseTo(55.0 / 3, within(1e-12));
        assertThat(last.get("experiment_status").asText()).isEqualTo("stopped");
    }

    private CliRun run(String output) {
        List<String> args = new ArrayList<>(List.of("results",
                "--decisions", dir.resolve("decisions.jsonl").toString(),
                "--events", dir.resolve("events.jsonl").toString(),
                "--experiments", dir.resolve("experiments.jsonl").toString(),
                "--output", dir.resolve(output).toString(),
                // t3's order, a day after everything else and the last event, tests the reward window:
                // with the default skew (1 h) it would be a future_timestamp dead letter instead.
                "-D", "liftstream.events.max-future-skew=2d"));
        args.addAll(CliRun.embedded(dir.resolve("flink-" + output)));
        return CliRun.of(args);
    }

    @Test
    void computesKnownNumbersAndRepeatsByteForByte() throws Exception {
        fixture();
        CliRun first = run("results-1.jsonl");
        assertThat(first.exitCode).as(first.err).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("results-1.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty();
        List<JsonNode> records = new ArrayList<>();
        for (String l : lines) {
            records.add(mapper.readTree(l));
        }
        // Ticks at 11:00 (first hour), 12:00 (the conflict at +70 min and t1's second order), the stop
        // at 13:00, and the final record, as of the stop too: t3's order is outside its 24 h window,
        // so nothing after 11:30 changed the statistics.
        assertThat(records).extracting(r -> r.get("as_of").asText()).containsExactly(
                "2026-11-20T11:00:00.000Z", "2026-11-20T12:00:00.000Z", "2026-11-20T13:00:00.000Z",
                "2026-11-20T13:00:00.000Z");
        assertThat(records).extracting(r -> r.get("sequence").asLong()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(records).extracting(r -> r.get("experiment_status").asText())
                .containsExactly("running", "running", "stopped", "stopped");

        JsonNode last = records.get(records.size() - 1);
        assertLastResult(last);
        assertThat(last.get("id").asText()).isEqualTo(EXP);
        assertThat(last.get("experiment_id").asText()).isEqualTo(EXP);
        JsonNode arms = last.get("arms");
        assertThat(arms.get(0).get("name").asText()).isEqualTo("control");
        assertThat(arms.get(0).get("n").asLong()).isEqualTo(3);
        assertThat(arms.get(0).get("mean").asDouble()).isCloseTo(1.0 / 3, within(1e-12)); // c1 (c2 ordered before exposure; c3's order was late)
        assertThat(arms.get(1).get("n").asLong()).isEqualTo(3);
        assertThat(arms.get(1).get("mean").asDouble()).isCloseTo(2.0 / 3, within(1e-12)); // t1, t2
        assertThat(last.get("exposure_conflicts").asLong()).isEqualTo(1);
        JsonNode holdout = last.get("holdout");
        assertThat(holdout.get("arms").get(0).get("name").asText()).isEqualTo("holdout");
        assertThat(holdout.get("arms").get(0).get("n").asLong()).isEqualTo(2);
        assertThat(holdout.get("arms").get(0).get("mean").asDouble()).isEqualTo(0.5);
        assertThat(holdout.get("arms").get(1).get("n").asLong()).isEqualTo(6);
        assertThat(holdout.get("arms").get(1).get("mean").asDouble()).isEqualTo(0.5);
        JsonNode revenue = last.get("guardrails").get(0);
        assertThat(revenue.get("metric").get("name").asText()).isEqualTo("revenue");
        assertThat(revenue.get("arms").get(0).get("mean").asDouble()).isCloseTo(10.0 / 3, within(1e-12));
        assertThat(revenue.get("arms").get(1).get("mean").asDouble()).isCloseTo(55.0 / 3, within(1e-12));
        assertThat(last.get("recommendation").asText()).isEqualTo("stop");
        assertThat(records.get(0).get("recommendation").asText()).isEqualTo("continue");
        // Before the second order of t1 (at +90 min), the treatment's revenue was 50.
        assertThat(records.get(0).get("guardrails").get(0).get("arms").get(1).get("mean").asDouble())
                .isCloseTo(50.0 / 3, within(1e-12));

        List<String> dead = Files.readAllLines(dir.resolve("results-1.dead-letters.jsonl"));
        assertThat(dead).hasSize(5);
        assertThat(dead.get(0)).contains("missing_field: arm is required");
        assertThat(dead.get(1)).contains("malformed_json");
        assertThat(dead.get(2)).contains("\"reason\":\"late\"");
        assertThat(dead.get(3)).contains("missing_identity");
        assertThat(dead.get(4)).contains("invalid_definition").contains("weights must sum to 1");
        assertThat(first.out).contains("exposures:          10").contains("results:            4");

        CliRun second = run("results-2.jsonl");
        assertThat(second.exitCode).as(second.err).isZero();
        assertThat(Files.readAllBytes(dir.resolve("results-2.jsonl"))).isEqualTo(Files.readAllBytes(dir.resolve("results-1.jsonl")));
        assertThat(Files.readAllBytes(dir.resolve("results-2.dead-letters.jsonl")))
                .isEqualTo(Files.readAllBytes(dir.resolve("results-1.dead-letters.jsonl")));
    }
}
