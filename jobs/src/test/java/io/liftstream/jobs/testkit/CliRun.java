package io.liftstream.jobs.testkit;

import io.liftstream.jobs.cli.LiftstreamCli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code liftstream} commands in process, capturing what they print. */
public final class CliRun {
    public final int exitCode;
    public final String out;
    public final String err;

    private CliRun(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    public static CliRun of(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = LiftstreamCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args.toArray(new String[0]));
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * The options that run a command on the embedded default exactly as {@code ./liftstream} does
     * ({@code flink-conf/embedded/config.yaml}: RocksDB, checkpoints, parallelism 2), with
     * checkpoints kept under {@code dir}.
     */
    public static List<String> embedded(Path dir) {
        return new ArrayList<>(List.of(
                "--flink-conf", Path.of("..", "flink-conf", "embedded").toString(),
                "-D", "execution.checkpointing.dir=" + dir.resolve("checkpoints").toUri(),
                "-D", "execution.checkpointing.interval=1s"));
    }
}
