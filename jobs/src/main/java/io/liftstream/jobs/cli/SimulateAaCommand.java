package io.liftstream.jobs.cli;

import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.simulation.AaSimulation;
import io.liftstream.experiments.stats.simulation.ResultsAaSimulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code liftstream simulate aa}: seeded A/A tests peeked at every look; prints the false positive
 * rate of a method with its Monte Carlo standard error as one JSON object. The engine is
 * {@link AaSimulation} (experiments module), or with {@code --through results}
 * {@link ResultsAaSimulation}: the results job's per-look computation and its recommendations.
 */
@Command(name = "aa", mixinStandardHelpOptions = true,
        description = {
            "A/A tests (no true difference) analysed after every look, stopping at the first",
            "significant result: the false positive rate under continuous monitoring.",
            "Always-valid methods (sequential, msprt, gst) stay at or below alpha; fixed does not.",
            "--through results: the results job's computation at every look (an hourly result);",
            "counts ship/stop recommendations."
        })
public final class SimulateAaCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AaSimulation.Settings D = AaSimulation.DEFAULTS;

    /**
     * At most this many analysed looks (experiments × looks) per run. Measured on a 2-core machine,
     * a look costs about 60 µs of CPU through the analyzer and 220 µs through the results job's
     * computation, so the cap is 10 to 40 minutes: a size that would run for hours is refused at once.
     */
    static final long MAX_LOOKS = 10_000_000L;
    /** At most this many simulated users (experiments × looks × users per look × 2 arms): about 3 ns each, 10 minutes. */
    static final long MAX_USERS = 200_000_000_000L;

    @Spec CommandSpec spec;

    @Option(names = "--method", required = true, paramLabel = "METHOD",
            description = "sequential, msprt, gst or fixed (and bayesian with --through results).")
    String method;

    @Option(names = "--through", paramLabel = "ENGINE",
            description = "analyzer (default): the analyze command's Analyzer, stopping at the first significant look; "
                    + "results: the results job's per-look computation (ResultsCalculator with its memory), "
                    + "a false positive being a 'ship ...' or 'stop' recommendation with a significant comparison.")
    String through = "analyzer";

    @Option(names = "--experiments", converter = OptionValues.PositiveInt.class, paramLabel = "N", description = "A/A experiments to simulate (default ${DEFAULT-VALUE}).")
    int experiments = D.experiments();

    @Option(names = "--looks", converter = OptionValues.PositiveInt.class, paramLabel = "K", description = "Looks per experiment (default ${DEFAULT-VALUE}).")
    int looks = D.looks();

    @Option(names = "--users-per-look", paramLabel = "U",
            description = "New users per arm between looks (default ${DEFAULT-VALUE}).")
    int usersPerLook = D.usersPerLook();

    @Option(names = "--conversion-rate", paramLabel = "P",
            description = "Conversion rate of both arms (default ${DEFAULT-VALUE}).")
    double conversionRate = D.conversionRate();

    @Option(names = "--alpha", paramLabel = "A", description = "Significance level (default ${DEFAULT-VALUE}).")
    double alpha = D.alpha();

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = D.seed();

    @Override
    public Integer call() {
        boolean results = switch (through.toLowerCase(Locale.ROOT)) {
            case "analyzer" -> false;
            case "results" -> true;
            default -> throw new IllegalArgumentException("--through must be analyzer or results, was " + through);
        };
        Method m = switch (method.toLowerCase(Locale.ROOT)) {
            case "sequential" -> Method.SEQUENTIAL;
            case "msprt" -> Method.MSPRT;
            case "gst" -> Method.GST;
            case "fixed" -> Method.FIXED;
            case "bayesian" -> {
                if (!results) {
                    throw new IllegalArgumentException("--method bayesian needs --through results");
                }
                yield Method.BAYESIAN;
            }
            default -> throw new IllegalArgumentException(
                    "--method must be sequential, msprt, gst, fixed or bayesian, was " + method);
        };
        checkSize();
        if (results) {
            return throughResults(m);
        }
        AaSimulation.Result r = AaSimulation.run(
                new AaSimulation.Settings(m, experiments, looks, usersPerLook, conversionRate, alpha, seed));
        ObjectNode o = header(null, r.falsePositives(), r.falsePositiveRate(), r.monteCarloSe());
        return print(o);
    }

    /** Refuses sizes beyond {@link #MAX_LOOKS} or {@link #MAX_USERS}, which would run for hours. */
    private void checkSize() {
        long analysedLooks = (long) experiments * looks;
        if (analysedLooks > MAX_LOOKS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--experiments %d x --looks %d = %,d analysed looks would run for hours; at most %,d per run",
                    experiments, looks, analysedLooks, MAX_LOOKS));
        }
        double users = 2.0 * analysedLooks * usersPerLook;
        if (users > MAX_USERS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--experiments %d x --looks %d x --users-per-look %d x 2 arms = %,.0f simulated users would run for hours; "
                            + "at most %,d per run", experiments, looks, usersPerLook, users, MAX_USERS));
        }
    }

    private Integer throughResults(Method m) {
        long start = System.nanoTime();
        ResultsAaSimulation.Result r = ResultsAaSimulation.run(
                new ResultsAaSimulation.Settings(m, experiments, looks, usersPerLook, conversionRate, alpha, seed));
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode o = header("results", r.falsePositives(), r.falsePositiveRate(), r.monteCarloSe());
        o.put("shipped", r.shipped());
        o.put("stopped_without_effect", r.stoppedWithoutEffect());
        o.put("significant_at_some_look", r.significantAtSomeLook());
        o.put("records", r.records());
        o.put("inconsistent_records", r.inconsistentRecords());
        o.put("excludes_zero_not_significant", r.excludesZeroNotSignificant());
        o.put("seconds", Math.round(seconds * 10) / 10.0);
        return print(o);
    }

    /** The fields both modes write first, in this order ({@code through} only when given). */
    private ObjectNode header(String through, long falsePositives, double rate, double monteCarloSe) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("simulation", "aa");
        if (through != null) {
            o.put("through", through);
        }
        o.put("method", method.toLowerCase(Locale.ROOT));
        o.put("experiments", experiments);
        o.put("looks", looks);
        o.put("users_per_look", usersPerLook);
        o.put("conversion_rate", conversionRate);
        o.put("alpha", alpha);
        o.put("seed", seed);
        o.put("false_positives", falsePositives);
        o.put("false_positive_rate", rate);
        o.put("monte_carlo_se", monteCarloSe);
        return o;
    }

    private int print(ObjectNode o) {
        spec.commandLine().getOut().println(o.toString());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
