package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** {@code liftstream assign}: the JSON-lines contract, GrowthBook's buckets, usage errors. */
class AssignCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void printsOneJsonLinePerUserWithGrowthBooksBuckets() throws IOException {
        // GrowthBook cases.json, feature "empty experiment rule": key "feature", variations a, b, c.
        Path exp = write("exp.json", "{\"experiment_id\": \"feature\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}]}");
        Path users = write("users.txt", "123\n456\n\nfds\n");
        CliRun run = CliRun.of(List.of("assign", "--experiment", exp.toString(), "--users", users.toString()));
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out.lines()).containsExactly(
                "{\"user_id\":\"123\",\"bucket\":0.863,\"arm\":\"c\",\"in_holdout\":false}",
                "{\"user_id\":\"456\",\"bucket\":0.178,\"arm\":\"a\",\"in_holdout\":false}",
                "{\"user_id\":\"fds\",\"bucket\":0.514,\"arm\":\"b\",\"in_holdout\":false}");
        assertThat(run.err).contains("experiment feature: 3 users").contains("skipped 1 blank lines");
    }

    @Test
    void armIsNullOutsideCoverageAndHoldoutSharesMatch() throws IOException {
        Path exp = write("exp.json", """
                {"experiment_id": "banner", "arms": [{"name": "control", "weight": 0.5}, {"name": "red", "weight": 0.5}],
                 "coverage": 0.5, "hash_version": 2, "holdout_pct": 10}""");
        int n = 100_000;
        Path users = write("users.txt", IntStream.range(0, n).mapToObj(i -> "user-" + i).collect(Collectors.joining("\n")));
        Path out = dir.resolve("assignments.jsonl");
        CliRun run = CliRun.of(List.of("assign", "--experiment", exp.toString(), "--users", users.toString(),
                "--output", out.toString(), "--global-holdout", "2"));
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("written to");
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            rows.add(JSON.readTree(line));
        }
        assertThat(rows).hasSize(n);
        long inExperiment = rows.stream().filter(r -> !r.get("arm").isNull()).count();
        long outsideHeld = rows.stream().filter(r -> r.get("arm").isNull() && r.get("in_holdout").asBoolean()).count();
        long insideHeld = rows.stream().filter(r -> !r.get("arm").isNull() && r.get("in_holdout").asBoolean()).count();
        assertThat(inExperiment / (double) n).isBetween(0.49, 0.51);
        // Outside the experiment only the global holdout (2%) applies; inside, 1 − 0.98 × 0.90 = 11.8%.
        assertThat(outsideHeld / (double) (n - inExperiment)).isBetween(0.017, 0.023);
        assertThat(insideHeld / (double) inExperiment).isBetween(0.112, 0.124);
        for (JsonNode r : rows) {
            assertThat(r.get("arm").isNull()).isEqualTo(r.get("bucket").asDouble() >= 0.25 && r.get("bucket").asDouble() < 0.5
                    || r.get("bucket").asDouble() >= 0.75);
        }
    }

    @Test
    void aBadDefinitionIsAUsageErrorWithItsReason() throws IOException {
        Path users = write("users.txt", "u1\n");
        Path exp = write("exp.json", "{\"experiment_id\": \"x\", \"arms\": [{\"name\": \"a\", \"weight\": 0.7}, {\"name\": \"b\", \"weight\": 0.6}]}");
        CliRun run = CliRun.of(List.of("assign", "--experiment", exp.toString(), "--users", users.toString()));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("liftstream: invalid experiment definition in " + exp
                + ": experiment 'x': arm weights must sum to 1 (± 0.01), sum to 1.2");
        assertThat(run.err).doesNotContain("\tat ");
        assertThat(run.out).isEmpty();

        Path broken = write("broken.json", "{\"experiment_id\": ");
        CliRun b = CliRun.of(List.of("assign", "--experiment", broken.toString(), "--users", users.toString()));
        assertThat(b.exitCode).isEqualTo(2);
        assertThat(b.err).contains("invalid experiment definition in " + broken + ": not valid JSON");
    }

    @Test
    void missingFilesAreUsageErrors() throws IOException {
        Path exp = write("exp.json", "{\"experiment_id\": \"x\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}");
        CliRun run = CliRun.of(List.of("assign", "--experiment", exp.toString(), "--users", dir.resolve("nope.txt").toString()));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("liftstream: --users " + dir.resolve("nope.txt") + ": no such file\n");
    }
}
