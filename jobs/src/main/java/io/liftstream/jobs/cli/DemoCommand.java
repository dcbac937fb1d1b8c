package io.liftstream.jobs.cli;

import io.liftstream.jobs.demo.ShopSimulator;
import io.liftstream.jobs.demo.SimulatorSettings;
import io.liftstream.jobs.demo.SimulatorStats;
import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.io.FileLines;
import io.liftstream.jobs.io.FileOutputs;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.triggers.TriggerJob;
import io.liftstream.triggers.TriggerType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code liftstream demo}: the first command to try. Simulates a shop ({@link ShopSimulator}), runs
 * the trigger job over it on the embedded default (an in-process cluster as configured: RocksDB
 * state, checkpoints on), reports progress while it runs and summarises what it found.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Simulate a web shop and detect its triggers on the embedded Flink, end to end.",
            "Writes the simulated events, the triggers, the dead letters and the late events to --output."
        })
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Mixin SimulatorOptions simulator;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "target/demo",
            description = "Where events and results go (files replaced). Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--samples", defaultValue = "1", description = "Sample triggers to print per type. Default: ${DEFAULT-VALUE}.")
    int samples;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        out = spec.commandLine().getOut();
        Configuration conf = flink.configuration();
        if (!conf.contains(HeartbeatManagerOptions.HEARTBEAT_INTERVAL)) {
            // Accumulators reach the client with task heartbeats (default every 10 s): beat every second
            // so the progress lines move.
            conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        }
        SimulatorSettings settings = simulator.settings(conf);
        Path dir = output.toAbsolutePath().normalize();
        Path events = dir.resolve("events.jsonl");
        FileOutputs files = new FileOutputs(dir.resolve("triggers.jsonl"), null, null);

        out.printf(Locale.ROOT, "Liftstream demo: a simulated shop, %,d shoppers (seed %d)%n", simulator.shoppers, simulator.seed);
        long simStart = System.nanoTime();
        SimulatorStats sim = new ShopSimulator(settings).writeTo(events);
        out.printf(Locale.ROOT, "simulated %,d events in %.1f s: %s .. %s%n", sim.lines, seconds(simStart),
                JsonLines.instant(sim.firstEventTime), JsonLines.instant(sim.lastEventTime));
        out.printf(Locale.ROOT, "  %,d sessions; %,d carts (%.1f%%), %,d checkouts (%.0f%% of carts), %,d orders (%.0f%% of checkouts)%n",
                sim.sessions, sim.cartingSessions, 100 * sim.addToCartRate(), sim.checkoutSessions, 100 * sim.checkoutRate(),
                sim.orderSessions, 100 * sim.orderRate());
        out.printf(Locale.ROOT, "  %,d returns to an old cart, %,d power-user bursts, %,d broken lines, %,d events held back past %ss%n",
                sim.recoverySessions, sim.bursts, sim.badLines, sim.heldBack, settings.lateBound.toSeconds());
        out.printf(Locale.ROOT, "running the trigger job: parallelism %d, %s state, checkpoints every %s%n",
                conf.get(CoreOptions.DEFAULT_PARALLELISM), conf.get(StateBackendOptions.STATE_BACKEND),
                conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).map(d -> d.toSeconds() + " s").orElse("(off)"));

        JobClient client = new TriggerJob(new FileLines(events.toString()), files, conf).start(Environments.create(conf));
        long jobStart = System.nanoTime();
        JobExecutionResult result;
        try {
            result = awaitWithProgress(client, jobStart, sim.lines);
        } catch (ExecutionException e) {
            spec.commandLine().getErr().println("liftstream demo: the job failed: " + rootMessage(e));
            return 1;
        }
        files.finish();
        RunSummary summary = new RunSummary(result::getAccumulatorResult);
        printSummary(summary, sim, files, events, seconds(jobStart), seconds(started));
        return 0;
    }

    /** Polls the job's accumulators until it finishes, printing a progress line each interval. */
    private JobExecutionResult awaitWithProgress(JobClient client, long jobStart, long lines) throws Exception {
        CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
        while (true) {
            try {
                return done.get(PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                Map<String, Object> accumulators;
                try {
                    accumulators = client.getAccumulators().get(PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException unavailable) {
                    continue; // between deployment and the first heartbeat, or at the very end
                }
                RunSummary now = new RunSummary(accumulators::get);
                long read = now.events + now.late + now.deadLettered;
                out.printf(Locale.ROOT, "  %5.0f s  %,9d events (%3.0f%%)  %,7d triggers  %,5d late  %,5d dead-lettered%n",
                        seconds(jobStart), now.events, lines == 0 ? 0 : 100.0 * read / lines, now.totalTriggers(),
                        now.late, now.deadLettered);
            }
        }
    }

    private void printSummary(RunSummary s, SimulatorStats sim, FileOutputs files, Path events, double jobSeconds,
            double totalSeconds) throws IOException {
        out.println();
        out.printf(Locale.ROOT, "done in %.0f s (job %.0f s, %,.0f events/s)%n", totalSeconds, jobSeconds,
                jobSeconds == 0 ? 0 : s.events / jobSeconds);
        out.printf(Locale.ROOT, "events:         %,d%s%n", s.events, check(s.events, sim.goodLines));
        out.printf(Locale.ROOT, "late:           %,d%s  (more than the out-of-orderness behind the stream)%n",
                s.late, check(s.late, sim.lateLines));
        out.printf(Locale.ROOT, "dead-lettered:  %,d%s%s%n", s.deadLettered, check(s.deadLettered, sim.badLines),
                reasons(files.deadLetters()));
        out.printf(Locale.ROOT, "triggers:       %,d%n", s.totalTriggers());
        Map<TriggerType, String> meaning = new EnumMap<>(TriggerType.class);
        meaning.put(TriggerType.CART_ABANDONED, "30 min after the last add, no add and no order");
        meaning.put(TriggerType.CHECKOUT_ABANDONED, "60 min after checkout started, no order");
        meaning.put(TriggerType.BROWSE_ABANDONED, "3+ product views, then 30 min of silence");
        meaning.put(TriggerType.ENGAGEMENT_SPIKE, "20 events within 5 min");
        s.triggers.forEach((type, n) -> out.printf(Locale.ROOT, "  %-20s %,7d   %s%n", type.id(), n, meaning.get(type)));
        out.println();
        out.println("files:");
        out.println("  events         " + events);
        out.println("  triggers       " + files.triggers());
        out.println("  dead letters   " + files.deadLetters());
        out.println("  late events    " + files.lateEvents());
        printSamples(files.triggers());
        out.println();
        out.println("next: ./liftstream triggers --input " + events + " --output <file>   (the same run, by hand)");
        out.flush();
    }

    private static String check(long actual, long expected) {
        return actual == expected ? "  (as simulated)" : String.format(Locale.ROOT, "  (simulated: %,d)", expected);
    }

    /** Dead-letter counts by reason code, e.g. {@code malformed_json 107}. */
    private static String reasons(Path deadLetters) throws IOException {
        if (!Files.isRegularFile(deadLetters)) {
            return "";
        }
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Integer> byReason = new TreeMap<>();
        try (BufferedReader r = Files.newBufferedReader(deadLetters, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String reason = mapper.readTree(line).path("reason").asText();
                int colon = reason.indexOf(':');
                byReason.merge(colon < 0 ? reason : reason.substring(0, colon), 1, Integer::sum);
            }
        }
        if (byReason.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("  (");
        byReason.forEach((reason, n) -> b.append(b.length() > 3 ? ", " : "").append(reason).append(' ').append(n));
        return b.append(')').toString();
    }

    /** The first {@link #samples} triggers of each type (the file is ordered by event time), pretty-printed. */
    private void printSamples(Path triggers) throws IOException {
        if (samples <= 0 || !Files.isRegularFile(triggers)) {
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Integer> shown = new TreeMap<>();
        StringBuilder printed = new StringBuilder();
        try (BufferedReader r = Files.newBufferedReader(triggers, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode node = mapper.readTree(line);
                String type = node.path("trigger").asText();
                if (shown.getOrDefault(type, 0) < samples) {
                    shown.merge(type, 1, Integer::sum);
                    printed.append(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node)).append('\n');
                }
                if (shown.size() == TriggerType.values().length && shown.values().stream().allMatch(n -> n >= samples)) {
                    break;
                }
            }
        }
        if (printed.length() > 0) {
            out.println();
            out.println("sample triggers:");
            out.print(printed);
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
