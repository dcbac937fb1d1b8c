package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code liftstream demo} end to end, in process, on a small simulated shop: RocksDB state,
 * checkpoints on, parallelism 2 (the embedded default's settings, given as {@code -D} overrides
 * because no {@code LIFTSTREAM_FLINK_CONF} is set under Maven). Every line is accounted for exactly.
 */
class DemoCommandITCase {
    @TempDir Path dir;

    private List<String> flinkOptions() {
        return new ArrayList<>(List.of(
                "-D", "parallelism.default=2",
                "-D", "state.backend.type=rocksdb",
                "-D", "execution.checkpointing.interval=1s",
                "-D", "execution.checkpointing.dir=" + dir.resolve("checkpoints").toUri(),
                "-D", "execution.checkpointing.checkpoints-after-tasks-finish=true",
                "-D", "pipeline.generic-types=false"));
    }

    private static final class Run {
        final int exitCode;
        final String out;
        final String err;

        Run(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }
    }

    private static Run cli(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new LiftstreamCli());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args.toArray(new String[0]));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theDemoDetectsTriggersAndAccountsForEveryLine() throws Exception {
        Path output = dir.resolve("demo");
        List<String> args = new ArrayList<>(List.of("demo", "--shoppers", "400", "--seed", "3", "--output", output.toString()));
        args.addAll(flinkOptions());
        Run run = cli(args);

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
