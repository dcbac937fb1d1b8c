package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Issue 14 failures that need a running job, on the embedded configuration (RocksDB, checkpoints,
 * exponential-delay restarts): a corrupt compressed input stops the job at once with one line naming
 * the file, and an internal error is one line naming where its stack trace went.
 */
class FailFastITCase {
    private static final String EVENT = "{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"u1\","
            + "\"messageId\":\"m%d\",\"timestamp\":\"2024-01-01T00:00:0%dZ\"}\n";

    @TempDir Path dir;

    private CliRun triggers(Path input, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("triggers", "--input", input.toString(),
                "--output", dir.resolve("out").resolve("t.jsonl").toString()));
        args.addAll(CliRun.embedded(dir));
        args.addAll(List.of(more));
        return CliRun.of(args);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void aTruncatedGzipInAnInputDirectoryStopsTheJobWithItsName() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a.jsonl"), String.format(EVENT, 1, 1));
        Files.write(in.resolve("b.jsonl.gz"), gzip(String.format(EVENT, 2, 2)));
        byte[] whole = gzip(String.format(EVENT, 3, 3).repeat(50));
        Path broken = in.resolve("c.jsonl.gz");
        Files.write(broken, Arrays.copyOf(whole, whole.length / 2));

        CliRun run = triggers(in);

        assertThat(run.exitCode).as(run.err).isEqualTo(2);
        assertThat(run.err).isEqualTo("liftstream: cannot read " + broken + ": EOFException: Unexpected end of ZLIB input stream "
                + "(a corrupt or truncated compressed file?)\n");
        assertThat(dir.resolve("out").resolve("t.jsonl")).doesNotExist();
    }

    @Test
    void aFileThatIsNotGzipDespiteItsNameIsNamed() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a.jsonl"), String.format(EVENT, 1, 1));
        Path fake = Files.writeString(in.resolve("b.jsonl.gz"), "plain text, not gzip\n");

        CliRun run = CliRun.of(List.of("results", "--decisions", in.toString(), "--events", in.resolve("a.jsonl").toString(),
                "--experiments", in.resolve("a.jsonl").toString(), "--output", dir.resolve("r.jsonl").toString(),
                "--flink-conf", Path.of("..", "flink-conf", "embedded").toString(),
                "-D", "execution.checkpointing.dir=" + dir.resolve("checkpoints").toUri()));

        assertThat(run.exitCode).as(run.err).isEqualTo(2);
        assertThat(run.err).isEqualTo("liftstream: cannot read " + fake + ": ZipException: Not in GZIP format "
                + "(a corrupt or truncated compressed file?)\n");
    }

    @Test
    void anInternalErrorIsOneLineNamingTheLog() throws IOException {
        Path in = Files.writeString(dir.resolve("in.jsonl"), String.format(EVENT, 1, 1));

        CliRun run = triggers(in, "-D", "state.backend.type=no.such.Backend");

        assertThat(run.exitCode).isEqualTo(CliErrors.INTERNAL);
        assertThat(run.err.lines().count()).as(run.err).isEqualTo(1);
        // The tests' log4j2 configuration has no file appender; ./liftstream's names <tmp>/liftstream/liftstream.log.
        assertThat(run.err).startsWith("liftstream: internal error: ClassNotFoundException: no.such.Backend (stack trace in the log)");
    }
}
