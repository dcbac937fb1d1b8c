package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Usage errors of {@code liftstream triggers}: a clear message and exit code 2, no job started. */
class TriggersCommandTest {
    @TempDir Path dir;

    private CliRun triggers(String... more) throws java.io.IOException {
        java.nio.file.Files.writeString(dir.resolve("in.jsonl"), "");
        List<String> args = new ArrayList<>(List.of("triggers", "--input", dir.resolve("in.jsonl").toString(),
                "--output", dir.resolve("out.jsonl").toString()));
        args.addAll(List.of(more));
        return CliRun.of(args);
    }

    @Test
    void anInvalidTriggerOptionIsAUsageError() throws Exception {
        CliRun run = triggers("-D", "liftstream.triggers.cart-abandoned.timeout=0s");
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("liftstream: invalid trigger options: liftstream.triggers.cart-abandoned.timeout must be positive");
        assertThat(run.err).doesNotContain("\tat ");
    }

    @Test
    void anUnknownTriggerIsAUsageError() throws Exception {
        CliRun run = triggers("-D", "liftstream.triggers.enabled=cart_abandoned;basket_forgotten");
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("unknown trigger 'basket_forgotten'");
    }

    @Test
    void anUnparseableDurationIsAUsageError() throws Exception {
        CliRun run = triggers("-D", "liftstream.events.out-of-orderness=-5s");
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("Could not parse value '-5s' for key 'liftstream.events.out-of-orderness'");
    }

    @Test
    void aLineLimitBelowOneByteIsAUsageError() throws Exception {
        CliRun run = triggers("-D", "liftstream.input.max-line-bytes=0");
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("liftstream.input.max-line-bytes must be at least 1, was 0");
        assertThat(run.err).doesNotContain("\tat ");
    }

    @Test
    void inputAndOutputAreRequiredWithoutKafka() {
        CliRun run = CliRun.of(List.of("triggers", "--input", "x.jsonl"));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("give --output FILE, or --bootstrap-servers to write Kafka");
    }

    @Test
    void unknownStartingOffsetsAreAUsageError() {
        CliRun run = CliRun.of(List.of("triggers", "--bootstrap-servers", "127.0.0.1:1", "--output",
                dir.resolve("out.jsonl").toString(), "--starting-offsets", "yesterday"));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("liftstream: Invalid value for option '--starting-offsets': "
                + "must be earliest, latest or committed, was 'yesterday' (see liftstream triggers --help)\n");
    }
}
