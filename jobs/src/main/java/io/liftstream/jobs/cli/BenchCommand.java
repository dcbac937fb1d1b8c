package io.liftstream.jobs.cli;

import io.liftstream.jobs.bench.BenchPipeline;
import io.liftstream.jobs.bench.TriggerBenchmark;
import io.liftstream.jobs.demo.ShopSimulator;
import io.liftstream.jobs.demo.SimulatorSettings;
import io.liftstream.jobs.demo.SimulatorStats;
import io.liftstream.jobs.io.FileLines;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.StateBackendOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code liftstream bench <what>}: throughput measurements on the embedded default. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput on the embedded default; see BENCHMARKS.md.",
        subcommands = {BenchCommand.Triggers.class})
public final class BenchCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a benchmark: triggers");
    }

    /**
     * {@code liftstream bench triggers}: the trigger job against a bare source → keyBy → discard
     * baseline over the same simulated events ({@link TriggerBenchmark}).
     */
    @Command(name = "triggers", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Throughput of the trigger job next to a baseline over the same events, in the same run.",
                "",
                "Events are simulated once (ShopSimulator) into a JSON-lines file. Both pipelines read it the "
                        + "same way (FileLines: one reader, Jackson parsing, per-event watermarks; then "
                        + "InputSplitter), so the ratio isolates the trigger detection. The baseline then keys by "
                        + "user and discards; the trigger job detects and discards its outputs.",
                "",
                "Warm-up round(s), then measured rounds, each running the baseline and then the trigger job as "
                        + "separate bounded jobs; prints the median events/s of each and the ratio trigger job / "
                        + "baseline. On RocksDB the default input takes about a minute per trigger-job run."
            })
    static final class Triggers implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin FlinkOptions flink;
        @Mixin SimulatorOptions simulator;

        @Option(names = "--input", paramLabel = "FILE",
                description = "Benchmark over this JSON-lines file instead of simulated events.")
        Path input;

        @Option(names = "--runs", defaultValue = "3", description = "Measured rounds. Default: ${DEFAULT-VALUE}.")
        int runs;

        @Option(names = "--warmups", defaultValue = "1", description = "Warm-up rounds (not counted). Default: ${DEFAULT-VALUE}.")
        int warmups;

        @Option(names = "--backend", paramLabel = "rocksdb|hashmap",
                description = "State backend for both pipelines (default: the configured state.backend.type).")
        String backend;

        private PrintWriter out;

        @Override
        public Integer call() throws Exception {
            if (runs < 1 || warmups < 0) {
                throw new ParameterException(spec.commandLine(), "--runs must be at least 1 and --warmups at least 0");
            }
            Configuration conf = flink.configuration();
            if (backend != null) {
                if (!backend.equals("rocksdb") && !backend.equals("hashmap")) {
                    throw new ParameterException(spec.commandLine(), "--backend must be rocksdb or hashmap, was " + backend);
                }
                conf.set(StateBackendOptions.STATE_BACKEND, backend);
            }

            Path dir = null;
            Path file = input;
            String source;
            if (file == null) {
                SimulatorSettings settings = simulator.settings(conf);
                dir = Files.createTempDirectory("liftstream-bench-");
                file = dir.resolve("events.jsonl");
                long start = System.nanoTime();
                SimulatorStats stats = new ShopSimulator(settings).writeTo(file);
                source = String.format(Locale.ROOT, "%,d JSON lines simulated in %.1f s (seed %d, %,d shoppers; %,d bad, %,d late)",
                        stats.lines, (System.nanoTime() - start) / 1e9, simulator.seed, simulator.shoppers, stats.badLines, stats.lateLines);
            } else {
                if (!Files.isRegularFile(file)) {
                    throw new ParameterException(spec.commandLine(), "no such file: " + file);
                }
                source = "JSON lines from " + file.toAbsolutePath();
            }
            out = spec.commandLine().getOut();
            try {
                printHeader(conf, source);
                TriggerBenchmark.Result result = new TriggerBenchmark(new FileLines(file.toString()), conf, warmups, runs)
                        .run(this::printMeasurement);
                printSummary(result);
                out.flush();
            } finally {
                if (dir != null) {
                    deleteRecursively(dir);
                }
            }
            return 0;
        }

        private void printHeader(Configuration conf, String source) {
            out.println("liftstream bench triggers, " + LocalDate.now());
            out.println("input:     " + source);
            out.println("path:      both read the file with FileLines (1 reader, Jackson parse, per-event watermarks)");
            out.println("           and split dead letters and late events (InputSplitter), then");
            for (BenchPipeline p : BenchPipeline.values()) {
                out.printf("           %-9s %s%n", p.label + ":", p.description);
            }
            out.printf(Locale.ROOT, "flink:     parallelism %d, state backend %s, checkpoints every %s%s%n",
                    conf.get(CoreOptions.DEFAULT_PARALLELISM), conf.get(StateBackendOptions.STATE_BACKEND),
                    conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).map(d -> d.toSeconds() + " s").orElse("(off)"),
                    conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS) ? " (incremental)" : "");
            out.printf(Locale.ROOT, "machine:   %d cores, load average %.1f%n",
                    Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        private void printMeasurement(TriggerBenchmark.Measurement m) {
            out.printf(Locale.ROOT, "%-8s %-9s %,10d events %8.1f s %,10.0f events/s%s  (load %.1f)%n",
                    m.isWarmUp() ? "warm-up" : "run " + m.round, m.pipeline.label, m.events, m.millis / 1000.0,
                    m.eventsPerSecond(),
                    m.pipeline == BenchPipeline.TRIGGERS ? String.format(Locale.ROOT, " %,8d triggers", m.triggers) : "",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        private void printSummary(TriggerBenchmark.Result result) {
            double baseline = result.medianEventsPerSecond(BenchPipeline.BASELINE);
            double triggers = result.medianEventsPerSecond(BenchPipeline.TRIGGERS);
            out.printf(Locale.ROOT, "median   baseline  %,10.0f events/s%n", baseline);
            out.printf(Locale.ROOT, "median   triggers  %,10.0f events/s%n", triggers);
            out.printf(Locale.ROOT, "ratio    triggers / baseline = %.3f%n", result.ratio());
            long distinct = result.measurements.stream().mapToLong(m -> m.events).distinct().count();
            if (distinct > 1) {
                out.println("WARNING: the runs counted different numbers of events; the figures are not comparable");
            }
        }

        private static void deleteRecursively(Path dir) throws IOException {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
