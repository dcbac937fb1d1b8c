package io.liftstream.jobs.cli;

import io.liftstream.jobs.bench.BenchPipeline;
import io.liftstream.jobs.bench.DecisionBenchData;
import io.liftstream.jobs.bench.DecisionBenchmark;
import io.liftstream.jobs.bench.TriggerBenchmark;
import io.liftstream.jobs.demo.ShopSimulator;
import io.liftstream.jobs.demo.SimulatorSettings;
import io.liftstream.jobs.demo.SimulatorStats;
import io.liftstream.jobs.decisions.DecisionOptions;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.io.FileLines;

import org.apache.flink.core.execution.CheckpointingMode;
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
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code liftstream bench <what>}: throughput measurements on the embedded default. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput on the embedded default; see BENCHMARKS.md.",
        subcommands = {BenchCommand.Triggers.class, BenchCommand.Decide.class})
public final class BenchCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a benchmark: triggers, decide");
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
                new PathChecks().inputFile("--input", file).check();
                source = "JSON lines from " + file.toAbsolutePath();
            }
            out = spec.commandLine().getOut();
            try {
                printHeader(conf, source);
                TriggerBenchmark.Result result = new TriggerBenchmark(new FileLines(file.toString(), conf), conf, warmups, runs)
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

    /**
     * {@code liftstream bench decide}: decisions/s of the decision job next to a bare pipeline over the
     * same requests, then the latency from request to decision at a fixed offered rate ({@link
     * DecisionBenchmark}).
     */
    @Command(name = "decide", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Throughput of the decision job next to a baseline over the same requests, in the same run, then its latency.",
                "",
                "Throughput: generated requests (half to a fixed A/B test with holdout and cap, half to a Thompson bandit) and "
                        + "orders are written to files; the baseline reads, parses, watermarks and splits them, keys by user and "
                        + "discards; the decision job decides. Prints the median requests/s of each and the ratio decide / baseline.",
                "",
                "Latency: a generator offers --rate requests/s stamped with the wall clock; event time is that clock with zero "
                        + "out-of-orderness; checkpoints at least once; prints p50 and p99 of now - request timestamp at the decision."
            })
    static final class Decide implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin FlinkOptions flink;

        @Option(names = "--requests", defaultValue = "200000", description = "Requests in the throughput input. Default: ${DEFAULT-VALUE}.")
        long requests;

        @Option(names = "--users", defaultValue = "20000", description = "Distinct users. Default: ${DEFAULT-VALUE}.")
        int users;

        @Option(names = "--event-rate", defaultValue = "1000",
                description = "Requests per second of event time in the throughput input (sets how many posterior epochs it spans). "
                        + "Default: ${DEFAULT-VALUE}.")
        int eventRate;

        @Option(names = "--runs", defaultValue = "3", description = "Measured throughput rounds. Default: ${DEFAULT-VALUE}.")
        int runs;

        @Option(names = "--warmups", defaultValue = "2", description = "Warm-up rounds (not counted; the decision path "
                + "reaches its steady speed in the third round of a fresh JVM). Default: ${DEFAULT-VALUE}.")
        int warmups;

        @Option(names = "--backend", paramLabel = "rocksdb|hashmap", defaultValue = "rocksdb",
                description = "State backend for every run. Default: ${DEFAULT-VALUE}.")
        String backend;

        @Option(names = "--rate", defaultValue = "1000", description = "Offered requests/s in the latency run. Default: ${DEFAULT-VALUE}.")
        int rate;

        @Option(names = "--duration", defaultValue = "40", description = "Seconds of the latency run. Default: ${DEFAULT-VALUE}.")
        int duration;

        @Option(names = "--latency-warmup", defaultValue = "10", description = "Seconds of the latency run not measured. Default: ${DEFAULT-VALUE}.")
        int latencyWarmup;

        @Option(names = "--buffer-timeout", defaultValue = "5ms",
                description = "execution.buffer-timeout.interval of the latency run (Flink's default, 100ms, is a throughput setting). "
                        + "Default: ${DEFAULT-VALUE}.")
        String bufferTimeout;

        @Option(names = "--skip-latency", description = "Only the throughput rounds.")
        boolean skipLatency;

        @Option(names = "--skip-throughput", description = "Only the latency run.")
        boolean skipThroughput;

        private PrintWriter out;

        @Override
        public Integer call() throws Exception {
            if (runs < 1 || warmups < 0 || requests < 1 || users < 1 || eventRate < 1 || rate < 1 || duration <= latencyWarmup
                    || latencyWarmup < 0) {
                throw new ParameterException(spec.commandLine(), "need --runs >= 1, --warmups >= 0, positive --requests, --users, "
                        + "--event-rate and --rate, and --duration > --latency-warmup >= 0");
            }
            if (!backend.equals("rocksdb") && !backend.equals("hashmap")) {
                throw new ParameterException(spec.commandLine(), "--backend must be rocksdb or hashmap, was " + backend);
            }
            Configuration conf = flink.configuration();
            conf.set(StateBackendOptions.STATE_BACKEND, backend);
            out = spec.commandLine().getOut();
            Path dir = Files.createTempDirectory("liftstream-bench-decide-");
            try {
                long start = System.nanoTime();
                DecisionBenchData data = DecisionBenchData.write(dir, requests, users, eventRate, 42);
                out.println("liftstream bench decide, " + LocalDate.now());
                out.printf(Locale.ROOT, "input:     %,d requests from %,d users at %,d/s of event time (%,d s, posterior interval %s), "
                                + "%,d orders; written in %.1f s%n", data.requestCount, users, eventRate, data.requestCount / eventRate,
                        conf.get(DecisionOptions.POSTERIOR_INTERVAL), data.eventCount, (System.nanoTime() - start) / 1e9);
                out.println("           experiments: fixed A/B (holdout 10%, cap 3/h, conversion reward) and Thompson over 3 arms");
                for (DecisionBenchmark.Pipeline p : DecisionBenchmark.Pipeline.values()) {
                    out.printf("           %-9s %s%n", p.label + ":", p.description);
                }
                printFlink(conf);
                DecisionBenchmark bench = new DecisionBenchmark(data, conf);
                if (!skipThroughput) {
                    List<DecisionBenchmark.Measurement> all = bench.throughput(warmups, runs, this::printMeasurement);
                    printThroughput(all);
                }
                if (!skipLatency) {
                    Configuration lat = new Configuration(conf);
                    lat.set(EventTimeOptions.OUT_OF_ORDERNESS, Duration.ZERO);
                    lat.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.AT_LEAST_ONCE);
                    lat.setString("execution.buffer-timeout.interval", bufferTimeout);
                    out.printf(Locale.ROOT, "latency:   %,d requests/s offered for %d s (first %d s not measured), out-of-orderness 0, "
                            + "checkpoints at least once, buffer timeout %s%n", rate, duration, latencyWarmup, bufferTimeout);
                    out.flush();
                    DecisionBenchmark.Latency l = new DecisionBenchmark(data, lat).latency(rate, duration, latencyWarmup, users);
                    out.printf(Locale.ROOT, "latency   %,d decisions measured (%,d skipped), achieved %,.0f requests/s: "
                                    + "p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms  (load %.1f)%n",
                            l.measured, l.skipped, (l.measured + l.skipped) * 1000.0 / Math.max(1, l.millis), l.p50, l.p99, l.p999, l.max,
                            load());
                }
                out.flush();
            } finally {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return 0;
        }

        private void printFlink(Configuration conf) {
            out.printf(Locale.ROOT, "flink:     parallelism %d, state backend %s, checkpoints every %s%s%n",
                    conf.get(CoreOptions.DEFAULT_PARALLELISM), conf.get(StateBackendOptions.STATE_BACKEND),
                    conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).map(d -> d.toMillis() + " ms").orElse("(off)"),
                    conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS) ? " (incremental)" : "");
            out.printf(Locale.ROOT, "machine:   %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(), load());
            out.flush();
        }

        private void printMeasurement(DecisionBenchmark.Measurement m) {
            out.printf(Locale.ROOT, "%-8s %-9s %,10d requests %8.1f s %,10.0f requests/s  cpu %6.1f s %6.1f us/request%s  (load %.1f)%n",
                    m.isWarmUp() ? "warm-up" : "run " + m.round, m.pipeline.label, m.requests, m.millis / 1000.0, m.requestsPerSecond(),
                    m.cpuMillis / 1000.0, m.cpuMicrosPerRequest(),
                    m.pipeline == DecisionBenchmark.Pipeline.DECIDE ? String.format(Locale.ROOT, " %,10d decisions", m.decisions) : "",
                    load());
            out.flush();
        }

        private void printThroughput(List<DecisionBenchmark.Measurement> all) {
            double baseline = median(all, DecisionBenchmark.Pipeline.BASELINE);
            double decide = median(all, DecisionBenchmark.Pipeline.DECIDE);
            out.printf(Locale.ROOT, "median   baseline  %,10.0f requests/s%n", baseline);
            out.printf(Locale.ROOT, "median   decide    %,10.0f decisions/s%n", decide);
            out.printf(Locale.ROOT, "ratio    decide / baseline = %.3f%n", baseline == 0 ? 0 : decide / baseline);
            double cpuBaseline = medianCpu(all, DecisionBenchmark.Pipeline.BASELINE);
            double cpuDecide = medianCpu(all, DecisionBenchmark.Pipeline.DECIDE);
            out.printf(Locale.ROOT, "cpu      baseline %.1f us/request, decide %.1f us/request (median; whole JVM): ratio %.3f%n",
                    cpuBaseline, cpuDecide, cpuDecide == 0 ? 0 : cpuBaseline / cpuDecide);
            if (all.stream().anyMatch(m -> m.pipeline == DecisionBenchmark.Pipeline.DECIDE && m.decisions != m.requests)) {
                out.println("WARNING: a decision run did not answer every request once; the figures are not comparable");
            }
        }

        private static double median(List<DecisionBenchmark.Measurement> all, DecisionBenchmark.Pipeline p) {
            return TriggerBenchmark.median(all.stream().filter(m -> m.pipeline == p && !m.isWarmUp())
                    .mapToDouble(DecisionBenchmark.Measurement::requestsPerSecond).toArray());
        }

        private static double medianCpu(List<DecisionBenchmark.Measurement> all, DecisionBenchmark.Pipeline p) {
            return TriggerBenchmark.median(all.stream().filter(m -> m.pipeline == p && !m.isWarmUp())
                    .mapToDouble(DecisionBenchmark.Measurement::cpuMicrosPerRequest).toArray());
        }

        private static double load() {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }
}
