package io.liftstream.jobs.cli;

import io.liftstream.jobs.analyze.AnalyzeLines;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code liftstream analyze}: statistics for experiment results, one JSON object per line in, one
 * result per line out (see README, "Statistics for experimenters", for the contract). No Flink.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {
            "Analyse experiment results: JSON lines in, one result line per input line out, in order.",
            "Methods: fixed (Welch t-test), sequential (GrowthBook confidence sequences), msprt,",
            "gst (Lan-DeMets O'Brien-Fleming group sequential), bayesian. A bad line gives an",
            "error line with the reason; the batch never stops."
        })
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE|-", defaultValue = "-",
            description = "JSON lines to analyse; - for standard input (default).")
    String input;

    @Option(names = "--output", paramLabel = "FILE|-", defaultValue = "-",
            description = "Where to write the results; - for standard output (default).")
    String output;

    @Override
    public Integer call() throws Exception {
        new PathChecks()
                .inputFile("--input", "-".equals(input) ? null : Path.of(input))
                .outputFile("--output", "-".equals(output) ? null : Path.of(output))
                .check();
        AnalyzeLines.Summary summary;
        try (BufferedReader in = "-".equals(input)
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8)) {
            if ("-".equals(output)) {
                Writer out = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
                summary = AnalyzeLines.run(in, out);
            } else {
                try (Writer out = Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8)) {
                    summary = AnalyzeLines.run(in, out);
                }
            }
        }
        spec.commandLine().getErr().printf("analyze: %d lines, %d answered with an error%n", summary.lines(), summary.errors());
        spec.commandLine().getErr().flush();
        return 0;
    }
}
