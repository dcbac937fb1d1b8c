package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Issue 14's housekeeping: a bounded run on the embedded default (RocksDB, a checkpoint every second)
 * leaves no checkpoints behind once it finished, run after run; a run that fails keeps them.
 */
class FinishedRunHousekeepingITCase {
    @TempDir Path dir;

    @Test
    void aFinishedRunRemovesItsCheckpoints() throws IOException {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            events.append("{\"type\":\"track\",\"event\":\"Product Added\",\"userId\":\"u").append(i % 50)
                    .append("\",\"messageId\":\"m").append(i).append("\",\"timestamp\":").append(1_700_000_000_000L + 1_000L * i)
                    .append(",\"properties\":{\"product_id\":\"p").append(i % 7).append("\",\"price\":3}}\n");
        }
        Path input = dir.resolve("events.jsonl");
        Files.writeString(input, events);

        for (int run = 1; run <= 2; run++) {
            List<String> args = new ArrayList<>(List.of("triggers", "--input", input.toString(),
                    "--output", dir.resolve("out-" + run + "/t.jsonl").toString()));
            args.addAll(CliRun.embedded(dir));
            CliRun result = CliRun.of(args);
            assertThat(result.exitCode).as(result.err).isZero();
            assertThat(Files.readAllLines(dir.resolve("out-" + run + "/t.jsonl"))).as("the run did its work").isNotEmpty();
            assertThat(jobDirectories(dir.resolve("checkpoints"))).as("checkpoint directories after run " + run).isEmpty();
        }
    }

    private static List<Path> jobDirectories(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(checkpoints)) {
            return dirs.toList();
        }
    }
}
