package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code liftstream decide} as a user runs it (the embedded default: RocksDB, parallelism 2): the
 * first fixed-policy decision of every user equals what {@code liftstream assign} prints for the same
 * definition, trigger records are requests in either option, two runs give the same bytes, and usage
 * errors exit with 2.
 */
class DecideCommandITCase {
    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    static final String DEFINITION = "{\"experiment_id\":\"welcome\",\"arms\":[{\"name\":\"control\",\"weight\":0.34},"
            + "{\"name\":\"banner\",\"weight\":0.33},{\"name\":\"popup\",\"weight\":0.33}],\"hash_version\":2,\"holdout_pct\":5,"
            + "\"trigger\":\"cart_abandoned\"}";

    private Path write(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private CliRun decide(String out, String... more) {
        List<String> args = new ArrayList<>(List.of("decide"));
        args.addAll(CliRun.embedded(dir));
        args.addAll(List.of("--experiments", dir.resolve("experiments.jsonl").toString(),
                "--output", dir.resolve(out).toString()));
        args.addAll(List.of(more));
        return CliRun.of(args);
    }

    @Test
    void firstDecisionsEqualAssignAndRunsAreIdentical() throws Exception {
        long t0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        List<String> users = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        List<String> triggers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            users.add("shopper-" + i);
            requests.add(mapper.createObjectNode().put("request_id", "req-" + i).put("user_id", "shopper-" + i)
                    .put("experiment_id", "welcome").put("timestamp", t0 + i * 100L).toString());
        }
        for (int i = 0; i < 100; i++) {
            String trigger = mapper.createObjectNode().put("trigger_id", "trg-" + i).put("trigger", "cart_abandoned")
                    .put("user_id", "shopper-" + i).put("event_time", Instant.ofEpochMilli(t0 + 60_000 + i).toString())
                    .put("detected_at", Instant.ofEpochMilli(t0 + 60_000 + i).toString()).toString();
            (i % 2 == 0 ? requests : triggers).add(trigger);
        }
        write("experiments.jsonl", List.of(DEFINITION));
        write("definition.json", List.of(DEFINITION));
        write("users.txt", users);
        Path req = write("requests.jsonl", requests);
        Path trg = write("triggers.jsonl", triggers);

        CliRun run = decide("decisions.jsonl", "--requests", req.toString(), "--triggers", trg.toString(),
                "-D", "liftstream.decide.global-holdout-pct=2");
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("decisions:      600").contains("dead-lettered:  0").contains("late-applied:   0");

        CliRun assign = CliRun.of(List.of("assign", "--experiment", dir.resolve("definition.json").toString(),
                "--users", dir.resolve("users.txt").toString(), "--global-holdout", "2",
                "--output", dir.resolve("assign.jsonl").toString()));
        assertThat(assign.exitCode).isZero();
        Map<String, JsonNode> predicted = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("assign.jsonl"))) {
            JsonNode a = mapper.readTree(line);
            predicted.put(a.get("user_id").asText(), a);
        }
        List<String> decisions = Files.readAllLines(dir.resolve("decisions.jsonl"));
        assertThat(decisions).hasSize(600);
        int triggered = 0;
        for (String line : decisions) {
            JsonNode d = mapper.readTree(line);
            JsonNode a = predicted.get(d.get("user_id").asText());
            assertThat(d.get("in_holdout").asBoolean()).isEqualTo(a.get("in_holdout").asBoolean());
            if (d.get("request_id").asText().startsWith("req-")) {
                assertThat(d.get("reason").asText()).isIn("assigned", "holdout");
            } else {
                triggered++;
                assertThat(d.get("reason").asText()).isIn("sticky", "holdout");
            }
            if (!a.get("in_holdout").asBoolean()) {
                assertThat(d.get("arm").asText()).isEqualTo(a.get("arm").asText());
            }
        }
        assertThat(triggered).isEqualTo(100);

        CliRun again = decide("again.jsonl", "--requests", req.toString(), "--triggers", trg.toString(),
                "-D", "liftstream.decide.global-holdout-pct=2");
        assertThat(again.exitCode).isZero();
        assertThat(Files.readAllBytes(dir.resolve("again.jsonl"))).isEqualTo(Files.readAllBytes(dir.resolve("decisions.jsonl")));
    }

    @Test
    void usageErrors() throws Exception {
        write("experiments.jsonl", List.of(DEFINITION));
        CliRun noRequests = decide("d.jsonl");
        assertThat(noRequests.exitCode).isEqualTo(2);
        assertThat(noRequests.err).contains("give --requests FILE and/or --triggers FILE");
        Path req = write("requests.jsonl", List.of());
        CliRun badInterval = decide("d.jsonl", "--requests", req.toString(), "-D", "liftstream.decide.global-holdout-pct=120");
        assertThat(badInterval.exitCode).isEqualTo(2);
        assertThat(badInterval.err).contains("liftstream.decide.global-holdout-pct must be in [0, 100], was 120.0");
        CliRun missing = decide("d.jsonl", "--requests", dir.resolve("nope.jsonl").toString());
        assertThat(missing.exitCode).isEqualTo(2);
        assertThat(missing.err).contains("no such file");
    }
}
