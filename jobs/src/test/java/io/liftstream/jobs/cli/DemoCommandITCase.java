package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code liftstream demo} end to end, in process, on a small simulated shop: RocksDB state,
 * checkpoints on, parallelism 2: the embedded default, read from {@code flink-conf/embedded} as
 * {@code ./liftstream} does. Every line is accounted for exactly.
 */
class DemoCommandITCase {
    @TempDir Path dir;

    @Test
    void theDemoDetectsTriggersAndAccountsForEveryLine() throws Exception {
        Path output = dir.resolve("demo");
        List<String> args = new ArrayList<>(List.of("demo", "--shoppers", "400", "--seed", "3", "--output", output.toString()));
        args.addAll(CliRun.embedded(dir));
        CliRun run = CliRun.of(args);

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out)
                .contains("Liftstream demo: a simulated shop, 400 shoppers (seed 3)")
                .containsPattern("events: +[0-9,]+  \\(as simulated\\)")
                .containsPattern("late: +[0-9,]+  \\(as simulated\\)")
                .containsPattern("dead-lettered: +[0-9,]+  \\(as simulated\\)")
                .contains("browse_abandoned", "sample triggers:", output.resolve("triggers.jsonl").toString());
        assertThat(Files.readAllLines(output.resolve("events.jsonl"))).hasSizeGreaterThan(2_000);
        List<String> triggers = Files.readAllLines(output.resolve("triggers.jsonl"));
        assertThat(triggers).isNotEmpty();
        assertThat(run.out).containsPattern("triggers: +" + String.format("%,d", triggers.size()) + "\n");
        assertThat(output.resolve("triggers.dead-letters.jsonl")).exists();
        assertThat(output.resolve("triggers.late.jsonl")).exists();
    }
}
