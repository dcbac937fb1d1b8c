package io.liftstream.jobs.cli;

import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.power.Baseline;
import io.liftstream.experiments.stats.power.Design;
import io.liftstream.experiments.stats.power.FixedDesign;
import io.liftstream.experiments.stats.power.GstDesign;
import io.liftstream.experiments.stats.power.MsprtDesign;
import io.liftstream.experiments.stats.power.PowerPlanner;
import io.liftstream.experiments.stats.power.PowerSpec;
import io.liftstream.experiments.stats.power.SequentialDesign;
import io.liftstream.experiments.stats.sequential.SequentialConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code liftstream plan}: users, days and minimum detectable effect of an experiment for the
 * engine's fixed, sequential, mSPRT and GST designs, as one JSON document. The maths is in
 * {@code io.liftstream.experiments.stats.power}; this class validates options and prints.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Plan an experiment: from a baseline (a rate, or a mean and variance), the traffic per day,",
            "alpha and power, either the users and days needed to detect a lift (--mde), or the",
            "smallest lift detectable in a number of days (--days) or users (--users), for the fixed,",
            "sequential, msprt and gst methods. One JSON document on standard output."
        })
public final class PlanCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec CommandSpec spec;

    @Option(names = "--baseline-rate", paramLabel = "P", description = "Control conversion rate, in (0, 1).")
    Double baselineRate;

    @Option(names = "--baseline-mean", paramLabel = "M", description = "Control mean of a mean metric.")
    Double baselineMean;

    @Option(names = "--baseline-variance", paramLabel = "V", description = "Per-user variance of a mean metric.")
    Double baselineVariance;

    @Option(names = "--traffic-per-day", required = true, paramLabel = "N",
            description = "Users entering the experiment per day, all arms together.")
    double trafficPerDay;

    @Option(names = "--arms", paramLabel = "K", description = "Arms, control included, equally split (default 2).")
    Integer arms;

    @Option(names = "--weights", split = ",", paramLabel = "W",
            description = "Traffic share of each arm, control first (instead of --arms); normalised.")
    List<Double> weights;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.05",
            description = "Significance level, split over the treatments (Bonferroni). Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = "--power", paramLabel = "P", defaultValue = "0.8",
            description = "Wanted probability of a significant result at the MDE. Default: ${DEFAULT-VALUE}.")
    double power;

    @Option(names = "--sides", paramLabel = "S", defaultValue = "two",
            description = "two, greater or lesser, as in the analysis. Default: ${DEFAULT-VALUE}.")
    String sides;

    @Option(names = "--relative", description = "The MDE is a relative lift (default).")
    boolean relative;

    @Option(names = "--absolute", description = "The MDE is an absolute difference of means.")
    boolean absolute;

    @Option(names = "--mde", paramLabel = "X", description = "Lift to detect: gives users and days per design.")
    Double mde;

    @Option(names = "--days", paramLabel = "D", description = "Days the experiment runs: gives the MDE per design.")
    Double days;

    @Option(names = "--users", paramLabel = "N", description = "Users in the experiment: gives the MDE per design.")
    Long users;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "all", split = ",",
            description = "fixed, sequential, msprt, gst or all, or a comma-separated list. Default: ${DEFAULT-VALUE}.")
    List<String> method;

    @Option(names = "--looks", paramLabel = "K", defaultValue = "5",
            description = "Equally spaced looks of the gst design, the last at its maximum. Default: ${DEFAULT-VALUE}.")
    int looks;

    @Option(names = "--sequential-tuning", paramLabel = "N*",
            description = "Tuning sample size of the confidence sequence (both arms). Default: 5000, as the analysis.")
    Double sequentialTuning;

    @Option(names = "--msprt-tau2", paramLabel = "T",
            description = "mSPRT mixing variance on the lift's scale. Default: the analysis', (5% of the baseline)².")
    Double msprtTau2;

    @Override
    public Integer call() {
        Baseline baseline = baseline();
        if (relative && absolute) {
            throw new IllegalArgumentException("--relative and --absolute exclude each other");
        }
        boolean rel = !absolute;
        if (!(trafficPerDay > 0) || !Double.isFinite(trafficPerDay)) {
            throw new IllegalArgumentException("--traffic-per-day must be positive, was " + trafficPerDay);
        }
        int given = (mde != null ? 1 : 0) + (days != null ? 1 : 0) + (users != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of --mde (to get users and days), --days or --users (to get the MDE)");
        }
        double[] w = weights();
        Sides s = sides();
        int comparisons = w.length - 1;
        double alphaPerComparison = alpha / comparisons;
        int smallest = 1; // the least-trafficked treatment needs the most users
        for (int i = 2; i < w.length; i++) {
            if (w[i] < w[smallest]) {
                smallest = i;
            }
        }
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("--alpha must be in (0, 0.5), was " + alpha);
        }
        PowerSpec powerSpec = new PowerSpec(baseline, rel, s, alphaPerComparison, power, w[0], w[smallest]);
        List<Design> designs = designs(baseline, rel);

        ObjectNode o = MAPPER.createObjectNode();
        o.put("metric", baseline.rate() ? "rate" : "mean");
        o.put("baseline_mean", r(baseline.mean()));
        o.put("baseline_variance", r(baseline.variance()));
        o.put("lift", rel ? "relative" : "absolute");
        o.put("sides", s.name().toLowerCase(Locale.ROOT));
        o.put("alpha", alpha);
        o.put("comparisons", comparisons);
        o.put("alpha_per_comparison", r(alphaPerComparison));
        o.put("power", power);
        ArrayNode wNode = o.putArray("weights");
        for (double x : w) {
            wNode.add(x);
        }
        o.put("traffic_per_day", trafficPerDay);
        o.put("solve_for", mde != null ? "users" : "mde");
        if (mde != null) {
            o.put("mde", r(mde));
        } else if (days != null) {
            o.put("days", days);
        } else {
            o.put("users", users);
        }
        ArrayNode out = o.putArray("designs");
        for (Design d : designs) {
            out.add(design(d, powerSpec, w));
        }
        spec.commandLine().getOut().println(o.toPrettyString());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private ObjectNode design(Design d, PowerSpec ps, double[] w) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("method", d.method());
        double lift;
        double total;
        long[] perArm = new long[w.length];
        if (mde != null) {
            lift = mde;
            double needed = PowerPlanner.usersFor(d, ps, mde);
            if (Double.isInfinite(needed)) {
                o.put("mde", r(mde));
                o.putNull("users_total");
                o.put("error", "more than 1e15 users would be needed");
                return o;
            }
            perArm = perArm(w, needed);
            total = sum(perArm);
        } else {
            total = users != null ? users : Math.floor(days * trafficPerDay);
            if (!(total >= 4)) {
                throw new IllegalArgumentException("the experiment needs at least 4 users, --days/--users give " + (long) total);
            }
            for (int i = 0; i < w.length; i++) {
                perArm[i] = (long) Math.floor(w[i] * total);
            }
            lift = PowerPlanner.mdeFor(d, ps, total);
        }
        if (Double.isNaN(lift)) {
            o.putNull("mde");
            o.put("error", "no lift is detected with this power in " + (long) total
                    + " users (a relative lift's standard error grows with the lift; a rate cannot leave (0, 1))");
        } else {
            o.put("mde", r(lift));
            o.put("treatment_mean", r(ps.baseline().treatmentMean(Design.signed(ps, lift), ps.relative())));
        }
        o.put("users_total", (long) total);
        ArrayNode arms = o.putArray("users_per_arm");
        for (long n : perArm) {
            arms.add(n);
        }
        if (days != null) {
            o.put("days", days);
        } else {
            o.put("days", (long) Math.ceil(total / trafficPerDay - 1e-9));
        }
        if (!Double.isNaN(lift)) {
            o.put("achieved_power", r(d.power(ps, lift, total)));
        }
        if (d instanceof SequentialDesign sd) {
            o.put("sequential_tuning", sd.config().tuning());
            // The sequence is tightest near its tuning: say which tuning would do best.
            if (mde != null) {
                double best = SequentialDesign.bestTuningForLift(ps, mde);
                o.put("best_sequential_tuning", Math.round(best));
                o.put("users_total_at_best_tuning",
                        sum(perArm(w, PowerPlanner.usersFor(new SequentialDesign(new SequentialConfig(best)), ps, mde))));
            } else {
                double best = SequentialDesign.bestTuningForUsers(ps, total);
                double bestMde = PowerPlanner.mdeFor(new SequentialDesign(new SequentialConfig(best)), ps, total);
                o.put("best_sequential_tuning", Math.round(best));
                if (!Double.isNaN(bestMde)) {
                    o.put("mde_at_best_tuning", r(bestMde));
                }
            }
        } else if (d instanceof MsprtDesign md) {
            o.put("msprt_tau2", r(md.tau2()));
        } else if (d instanceof GstDesign gd) {
            o.put("looks", gd.looks());
            o.put("users_per_look", Math.round(total / gd.looks()));
            o.put("days_per_look", r(total / gd.looks() / trafficPerDay));
            o.put("inflation_factor", r(gd.inflationFactor(ps)));
            if (!Double.isNaN(lift)) {
                double expected = gd.expectedUsers(ps, lift, total);
                o.put("expected_users_at_mde", r(expected));
                o.put("expected_days_at_mde", r(expected / trafficPerDay));
            }
            ArrayNode b = o.putArray("boundaries_z");
            for (double c : gd.boundaries(ps)) {
                b.add(r(c));
            }
        }
        return o;
    }

    /** Users of each arm for {@code needed} in all: each arm's share rounded up. */
    private static long[] perArm(double[] w, double needed) {
        long[] n = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            n[i] = (long) Math.ceil(w[i] * needed - 1e-9);
        }
        return n;
    }

    private static long sum(long[] n) {
        long total = 0;
        for (long x : n) {
            total += x;
        }
        return total;
    }

    /** Ten significant digits: the numbers' precision without binary noise (0.09000000000000001). */
    private static double r(double x) {
        return Double.isFinite(x) ? new BigDecimal(x).round(new MathContext(10)).doubleValue() : x;
    }

    private Baseline baseline() {
        if (baselineRate != null) {
            if (baselineMean != null || baselineVariance != null) {
                throw new IllegalArgumentException("give --baseline-rate or --baseline-mean with --baseline-variance, not both");
            }
            return Baseline.rate(baselineRate);
        }
        if (baselineMean == null || baselineVariance == null) {
            throw new IllegalArgumentException("give --baseline-rate, or --baseline-mean with --baseline-variance");
        }
        return Baseline.mean(baselineMean, baselineVariance);
    }

    private double[] weights() {
        if (weights != null && arms != null) {
            throw new IllegalArgumentException("give --arms or --weights, not both");
        }
        if (weights != null) {
            if (weights.size() < 2) {
                throw new IllegalArgumentException("--weights needs a control and at least one treatment");
            }
            double sum = 0;
            for (double x : weights) {
                if (!(x > 0) || !Double.isFinite(x)) {
                    throw new IllegalArgumentException("--weights must be positive, was " + weights);
                }
                sum += x;
            }
            double[] w = new double[weights.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = weights.get(i) / sum;
            }
            return w;
        }
        int k = arms == null ? 2 : arms;
        if (k < 2) {
            throw new IllegalArgumentException("--arms must be at least 2 (a control and a treatment), was " + k);
        }
        double[] w = new double[k];
        java.util.Arrays.fill(w, 1.0 / k);
        return w;
    }

    private Sides sides() {
        return switch (sides.toLowerCase(Locale.ROOT)) {
            case "two" -> Sides.TWO;
            case "greater" -> Sides.GREATER;
            case "lesser" -> Sides.LESSER;
            default -> throw new IllegalArgumentException("--sides must be two, greater or lesser, was " + sides);
        };
    }

    private List<Design> designs(Baseline baseline, boolean rel) {
        SequentialConfig config = new SequentialConfig(sequentialTuning == null ? SequentialConfig.DEFAULT_TUNING : sequentialTuning);
        List<String> wanted = new ArrayList<>();
        for (String one : method) {
            String m = one.strip().toLowerCase(Locale.ROOT);
            switch (m) {
                case "fixed", "sequential", "msprt", "gst" -> wanted.add(m);
                case "all" -> wanted.addAll(List.of("fixed", "sequential", "msprt", "gst"));
                default -> throw new IllegalArgumentException(
                        "--method must be fixed, sequential, msprt, gst or all, was " + one);
            }
        }
        List<Design> all = new ArrayList<>();
        if (wanted.contains("fixed")) {
            all.add(new FixedDesign());
        }
        if (wanted.contains("sequential")) {
            all.add(new SequentialDesign(config));
        }
        if (wanted.contains("msprt")) {
            double tau2 = msprtTau2 != null ? msprtTau2 : Analyzer.defaultTau2(rel, baseline.mean());
            if (msprtTau2 == null && !(tau2 > 0)) {
                throw new IllegalArgumentException("the default --msprt-tau2 is (5% of the baseline mean)², which is 0 here: give --msprt-tau2");
            }
            all.add(new MsprtDesign(tau2));
        }
        if (wanted.contains("gst")) {
            all.add(new GstDesign(looks));
        }
        return all;
    }
}
