package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code liftstream bench triggers} end to end, in process, on a tiny simulated shop. */
class BenchCommandITCase {
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
    void theBenchmarkReportsBothPipelinesAndTheirRatio() {
        List<String> args = new ArrayList<>(List.of("bench", "triggers", "--shoppers", "300", "--runs", "1",
                "--warmups", "0", "--backend", "hashmap"));
        args.addAll(flinkOptions());
        Run run = cli(args);

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out)
                .contains("state backend hashmap")
                .containsPattern("run 1 +baseline +[0-9,]+ events")
                .containsPattern("run 1 +triggers +[0-9,]+ events")
                .containsPattern("ratio +triggers / baseline = [0-9.]+");
    }

    @Test
    void theBenchmarkRefusesAnUnknownBackend() {
        Run run = cli(List.of("bench", "triggers", "--backend", "memory"));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--backend must be rocksdb or hashmap, was memory");
    }
}
