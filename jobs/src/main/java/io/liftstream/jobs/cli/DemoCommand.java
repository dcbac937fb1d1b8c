package io.liftstream.jobs.cli;

import io.liftstream.experiments.decision.DecisionReason;
import io.liftstream.jobs.decisions.DecisionCounter;
import io.liftstream.jobs.decisions.DecisionFileOutputs;
import io.liftstream.jobs.decisions.DecisionFiles;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.DecisionLineParser;
import io.liftstream.jobs.decisions.DecisionOptions;
import io.liftstream.jobs.decisions.InProcessLoop;
import io.liftstream.jobs.demo.ConsentSimulator;
import io.liftstream.jobs.demo.DemoFindings;
import io.liftstream.jobs.demo.DemoReport;
import io.liftstream.jobs.demo.ShopSimulator;
import io.liftstream.jobs.demo.ShopperResponses;
import io.liftstream.jobs.demo.SimulatorSettings;
import io.liftstream.jobs.demo.SimulatorStats;
import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.io.FileLines;
import io.liftstream.jobs.io.FileOutputs;
import io.liftstream.jobs.io.InputException;
import io.liftstream.jobs.results.ResultsFileOutputs;
import io.liftstream.jobs.results.ResultsFiles;
import io.liftstream.jobs.results.ResultsJob;
import io.liftstream.jobs.sql.SqlScript;
import io.liftstream.jobs.sql.SqlSession;
import io.liftstream.jobs.sql.SqlStatementException;
import io.liftstream.jobs.sql.TableBacking;
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

import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code liftstream demo}: the first command to try, the whole loop on the embedded default (an
 * in-process cluster as configured: RocksDB state, checkpoints on):
 * <ol>
 *   <li>defines the experiment {@code cart-recovery} by running {@code sql/experiments/cart-recovery.sql}
 *       through the SQL layer into the embedded {@code experiments} table ({@code <output>/tables});</li>
 *   <li>simulates a week of a web shop ({@link ShopSimulator}) and runs the trigger job over it;</li>
 *   <li>runs the decision job on the cart-abandonment triggers: Thompson sampling over three recovery
 *       messages; simulated shoppers ({@link ShopperResponses}) order in response to the message they
 *       got with true rates only the simulator knows, and the bandit learns from those orders through
 *       the decision job's posterior loop; some shoppers have opted out ({@link ConsentSimulator});</li>
 *   <li>runs the results job over the decisions and every order;</li>
 *   <li>prints the allocation per arm over time, holdout and consent counts and the results table, and
 *       writes a self-contained HTML report ({@link DemoReport}).</li>
 * </ol>
 * Deterministic: the same seed gives the same files and numbers.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "The whole loop on the embedded Flink: an experiment defined in SQL, a simulated week of a web shop,",
            "its triggers, bandit decisions that simulated shoppers respond to, live results and an HTML report.",
            "Writes every stream and report.html to --output."
        })
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);
    /** The simulated period: long enough for several 24-hour reward windows to close. */
    public static final Duration PERIOD = Duration.ofDays(7);
    /** The demo shop's add-to-cart rate per session (the simulator's default is 8%). */
    public static final double ADD_TO_CART_RATE = 0.2;
    /** The demo's posterior interval unless configured: posteriors at most a minute old (24-hour windows). */
    public static final Duration POSTERIOR_INTERVAL = Duration.ofMinutes(1);
    public static final String EXPERIMENT_ID = "cart-recovery";
    public static final String EXPERIMENT_SQL = "sql/experiments/cart-recovery.sql";

    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Mixin SimulatorOptions simulator;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "target/demo",
            description = "Where events and results go (files replaced). Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--samples", converter = OptionValues.NonNegativeInt.class, defaultValue = "0", description = "Sample triggers to print per type. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--experiment-sql", paramLabel = "FILE",
            description = "The SQL script that defines the experiment (default: " + EXPERIMENT_SQL + ", bundled in the jar).")
    Path experimentSql;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        out = spec.commandLine().getOut();
        Configuration conf = flink.configuration();
        new PathChecks().inputFile("--experiment-sql", experimentSql).outputDir("--output", output).check();
        if (!conf.contains(HeartbeatManagerOptions.HEARTBEAT_INTERVAL)) {
            // Accumulators reach the client with task heartbeats (default every 10 s): beat every second
            // so the progress lines move.
            conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        }
        if (!conf.contains(DecisionOptions.POSTERIOR_INTERVAL)) {
            conf.set(DecisionOptions.POSTERIOR_INTERVAL, POSTERIOR_INTERVAL);
        }
        SimulatorSettings settings;
        try {
            settings = simulator.settings(conf).toBuilder().spread(PERIOD).horizon(PERIOD)
                    .addToCartRate(ADD_TO_CART_RATE).recoveryRate(0).build();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ShopperResponses responses = ShopperResponses.defaults(simulator.seed);
        Path dir = output.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Instant effectiveAt = settings.start.truncatedTo(ChronoUnit.DAYS);

        out.printf(Locale.ROOT, "Liftstream demo: a simulated shop, %,d shoppers over %d days (seed %d)%n", simulator.shoppers,
                PERIOD.toDays(), simulator.seed);
        out.printf(Locale.ROOT, "embedded Flink: parallelism %d, %s state, checkpoints every %s; outputs in %s%n",
                conf.get(CoreOptions.DEFAULT_PARALLELISM), conf.get(StateBackendOptions.STATE_BACKEND),
                conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).map(d -> d.toSeconds() + " s").orElse("(off)"), dir);
        out.println();

        // 1. The experiment, defined in SQL.
        long step = System.nanoTime();
        Path tables = dir.resolve("tables");
        deleteRecursively(tables);
        String sqlName = defineExperiment(conf, tables, effectiveAt);
        Path experiments = tables.resolve("liftstream.experiments");
        out.printf(Locale.ROOT, "1. experiment  %s -> experiments table (%s), in force from %s  [%.0f s]%n", sqlName,
                relative(experiments), effectiveAt, seconds(step));
        out.printf(Locale.ROOT, "   %s: trigger cart_abandoned, Thompson sampling over control | discount | free_shipping,%n", EXPERIMENT_ID);
        out.println("   5% holdout, reward Order Completed within PT24H, sequential analysis at alpha 0.05");

        // 2. The shop and its triggers.
        step = System.nanoTime();
        Path events = dir.resolve("events.jsonl");
        SimulatorStats sim = new ShopSimulator(settings).writeTo(events);
        out.printf(Locale.ROOT, "2. shop        %,d events, %s .. %s: %,d sessions, %,d carts, %,d orders%n", sim.lines,
                JsonLines.instant(sim.firstEventTime), JsonLines.instant(sim.lastEventTime), sim.sessions, sim.cartingSessions,
                sim.orderSessions);
        FileOutputs files = new FileOutputs(dir.resolve("triggers.jsonl"), null, null);
        JobClient client = new TriggerJob(new FileLines(events.toString(), conf), files, conf).start(Environments.create(conf));
        JobExecutionResult result;
        try {
            result = awaitWithProgress(client, System.nanoTime(), sim.lines);
        } catch (ExecutionException e) {
            return failed("the trigger job", e);
        }
        files.finish();
        RunSummary triggers = new RunSummary(result::getAccumulatorResult);
        out.printf(Locale.ROOT, "   trigger job %,d events (%,d late, %,d dead-lettered, as simulated: %s) -> %,d triggers:%n",
                triggers.events, triggers.late, triggers.deadLettered,
                triggers.events == sim.goodLines && triggers.late == sim.lateLines && triggers.deadLettered == sim.badLines ? "yes" : "NO",
                triggers.totalTriggers());
        StringBuilder byType = new StringBuilder();
        triggers.triggers.forEach((type, n) -> byType.append(byType.length() == 0 ? "" : ", ").append(type.id()).append(' ')
                .append(String.format(Locale.ROOT, "%,d", n)));
        out.printf(Locale.ROOT, "   %s  [%.0f s]%n", byType, seconds(step));
        printSamples(files.triggers());

        // 3. Decisions, with shoppers who respond to them.
        step = System.nanoTime();
        Path control = dir.resolve("control.jsonl");
        ConsentSimulator.Stats consent = ConsentSimulator.defaults(simulator.seed).write(files.triggers(), control, settings.start, PERIOD);
        DecisionFiles in = new DecisionFiles(conf)
                .with(DecisionLineParser.TRIGGERS, files.triggers())
                .with(DecisionLineParser.EXPERIMENTS, experiments)
                .with(DecisionLineParser.CONTROL, control);
        DecisionFileOutputs decided = new DecisionFileOutputs(dir.resolve("decisions.jsonl"), null)
                .withSimulatedOutcomes(dir.resolve("outcomes.jsonl"));
        InProcessLoop loop = new InProcessLoop();
        JobExecutionResult decideResult;
        try {
            decideResult = new DecisionJob(in, decided, loop, conf).withResponses(responses).run(Environments.create(conf));
        } catch (Exception e) {
            return failed("the decision job", e);
        } finally {
            loop.close();
        }
        decided.finish();
        long decisions = 0;
        for (DecisionReason r : DecisionReason.values()) {
            decisions += count(decideResult, DecisionCounter.name(r));
        }
        out.printf(Locale.ROOT, "3. decisions   %,d (one per cart_abandoned trigger); consent: %,d of the %,d users in the triggers "
                + "opted out (%,d before the week, %,d during it)%n", decisions, consent.optedOutBefore() + consent.optingOutDuring(),
                consent.users(), consent.optedOutBefore(), consent.optingOutDuring());
        out.printf(Locale.ROOT, "   posterior interval %s; shoppers respond with true rates %s (no message: %s)  [%.0f s]%n",
                conf.get(DecisionOptions.POSTERIOR_INTERVAL).toString().substring(2).toLowerCase(Locale.ROOT), rates(responses),
                pct(responses.baseRate()), seconds(step));

        // 4. Results over the decisions and every order.
        step = System.nanoTime();
        Path outcomes = decided.simulatedOutcomes();
        long outcomeLines = lineCount(outcomes);
        ResultsFileOutputs resultFiles = new ResultsFileOutputs(dir.resolve("results.jsonl"), null);
        try {
            new ResultsJob(new ResultsFiles(decided.decisions().toString(), outcomes.toString(), experiments.toString(), conf), resultFiles, conf)
                    .run(Environments.create(conf));
        } catch (Exception e) {
            return failed("the results job", e);
        }
        resultFiles.finish();
        out.printf(Locale.ROOT, "4. results     %,d decisions and %,d orders in response -> %,d result records (hourly, event time)  [%.0f s]%n",
                decisions, outcomeLines, lineCount(resultFiles.results()), seconds(step));

        // 5. What happened.
        DemoFindings findings = DemoFindings.read(decided.decisions(), resultFiles.results(), EXPERIMENT_ID,
                List.copyOf(responses.rates().keySet()), settings.start, Duration.ofDays(1), Duration.ofHours(6));
        Path report = dir.resolve("report.html");
        DemoReport.write(report, findings, responses, simulator.shoppers, simulator.seed);
        out.println();
        findings.print(out, responses);
        out.println();
        out.printf(Locale.ROOT, "done in %.0f s%n", seconds(started));
        out.println("files:");
        out.println("  experiment     " + experiments + "   (written by " + sqlName + ")");
        out.println("  events         " + events);
        out.println("  triggers       " + files.triggers() + "   (dead letters: " + files.deadLetters().getFileName()
                + ", late: " + files.lateEvents().getFileName() + ")");
        out.println("  control        " + control);
        out.println("  decisions      " + decided.decisions());
        out.println("  outcomes       " + outcomes + "   (the shoppers' orders in response to their message)");
        out.println("  results        " + resultFiles.results());
        out.println("  report         " + report);
        out.flush();
        return 0;
    }

    /** Runs the experiment's SQL script on the embedded default, its tables under {@code tables}. */
    private String defineExperiment(Configuration conf, Path tables, Instant effectiveAt) throws IOException {
        String at = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(effectiveAt);
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("effective_at", "TIMESTAMP '" + at + "'");
        Configuration sqlConf = SqlSession.withDefaults(new Configuration(conf));
        StringWriter log = new StringWriter();
        SqlSession session = new SqlSession(sqlConf, new SqlSession.Options(TableBacking.files(tables), null), variables,
                new PrintWriter(log), new PrintWriter(log));
        String name;
        List<SqlScript.Statement> statements;
        if (experimentSql != null) {
            name = experimentSql.toString();
            statements = SqlScript.read(experimentSql);
        } else {
            name = EXPERIMENT_SQL;
            try (InputStream s = DemoCommand.class.getClassLoader().getResourceAsStream(EXPERIMENT_SQL)) {
                if (s == null) {
                    throw new IllegalStateException(EXPERIMENT_SQL + " is not in the jar");
                }
                statements = SqlScript.split(new String(s.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        try {
            session.run(statements, name);
        } catch (SqlStatementException e) {
            throw new IllegalStateException("the experiment script failed: " + e.getMessage() + "\n" + log, e);
        }
        return name;
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
                out.printf(Locale.ROOT, "   %5.0f s  %,9d events (%3.0f%%)  %,7d triggers%n",
                        seconds(jobStart), now.events, lines == 0 ? 0 : 100.0 * read / lines, now.totalTriggers());
                out.flush();
            }
        }
    }

    private int failed(String what, Exception e) {
        Optional<InputException> input = CliErrors.find(e, InputException.class);
        if (input.isPresent()) {
            spec.commandLine().getErr().println("liftstream: " + input.get().getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        LoggerFactory.getLogger(DemoCommand.class).error("liftstream demo: {} failed", what, e);
        spec.commandLine().getErr().println("liftstream demo: " + what + " failed: " + rootMessage(e)
                + CliErrors.logFile().map(f -> " (stack trace in " + f + ")").orElse(" (stack trace in the log)"));
        return CliErrors.INTERNAL;
    }

    private static String rates(ShopperResponses responses) {
        StringBuilder b = new StringBuilder();
        responses.rates().forEach((arm, rate) -> b.append(b.length() == 0 ? "" : ", ").append(arm).append(' ').append(pct(rate)));
        return b.toString();
    }

    private static String pct(double rate) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * rate);
    }

    private static long count(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static long lineCount(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    private static String relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
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
            out.println("   sample triggers:");
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
