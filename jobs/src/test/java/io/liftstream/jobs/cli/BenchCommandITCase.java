package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code liftstream bench triggers} end to end, in process, on a tiny simulated shop. */
class BenchCommandITCase {
    @TempDir Path dir;

    @Test
    void theBenchmarkReportsBothPipelinesAndTheirRatio() {
        List<String> args = new ArrayList<>(List.of("bench", "triggers", "--shoppers", "300", "--runs", "1",
                "--warmups", "0", "--backend", "hashmap"));
        args.addAll(CliRun.embedded(dir));
        CliRun run = CliRun.of(args);

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out)
                .contains("state backend hashmap")
                .containsPattern("run 1 +baseline +[0-9,]+ events")
                .containsPattern("run 1 +triggers +[0-9,]+ events")
                .containsPattern("ratio +triggers / baseline = [0-9.]+");
    }

    @Test
    void theBenchmarkRefusesAnUnknownBackend() {
        CliRun run = CliRun.of(List.of("bench", "triggers", "--backend", "memory"));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--backend must be rocksdb or hashmap, was memory");
    }
}
