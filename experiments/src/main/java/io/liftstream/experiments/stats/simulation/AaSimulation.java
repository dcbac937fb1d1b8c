package io.liftstream.experiments.stats.simulation;

import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded A/A simulation under continuous monitoring: both arms get the same conversion rate, the
 * experimenter looks after every batch of users and stops at the first significant result. The
 * false positive rate is the share of experiments ever declared significant; an always-valid
 * method keeps it at or below α, a fixed-horizon test does not.
 *
 * <p>Each look adds {@code usersPerLook} users to each arm, each converting with probability
 * {@code conversionRate}, and runs {@link Analyzer} exactly as {@code liftstream analyze} would
 * (relative lift, two-sided, the method's defaults; the always-valid p-value of the previous look is
 * passed on; gst plans its maximum at the last look). Experiment i draws from its own
 * {@link SplittableRandom} split off the seed, so results depend only on the settings.
 */
public final class AaSimulation {
    private AaSimulation() {}

    /** Settings; see {@link #DEFAULTS} for the named defaults. */
    public record Settings(Method method, int experiments, int looks, int usersPerLook, double conversionRate,
            double alpha, long seed) {
        public Settings {
            if (method == Method.BAYESIAN) {
                throw new IllegalArgumentException("simulate aa measures frequentist error rates: use fixed, sequential, msprt or gst");
            }
            checkSizes(experiments, looks, usersPerLook, conversionRate, alpha);
        }

        public Settings withMethod(Method m) {
            return new Settings(m, experiments, looks, usersPerLook, conversionRate, alpha, seed);
        }
    }

    /** 1000 experiments, 50 looks of 200 users per arm at a 10% conversion rate, α = 0.05, seed 1. */
    public static final Settings DEFAULTS = new Settings(Method.SEQUENTIAL, 1000, 50, 200, 0.10, 0.05, 1);

    /** The checks both simulations make of their sizes and rates. */
    static void checkSizes(int experiments, int looks, int usersPerLook, double conversionRate, double alpha) {
        if (experiments < 1 || looks < 1 || usersPerLook < 2) {
            throw new IllegalArgumentException("experiments and looks must be positive, users per look at least 2");
        }
        if (!(conversionRate > 0 && conversionRate < 1)) {
            throw new IllegalArgumentException("conversion rate must be in (0, 1)");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1)");
        }
    }

    /**
     * @param falsePositiveRate share of experiments significant at some look
     * @param monteCarloSe its binomial standard error √(r(1 − r)/experiments)
     */
    public record Result(Settings settings, int falsePositives, double falsePositiveRate, double monteCarloSe) {}

    public static Result run(Settings s) {
        SplittableRandom root = new SplittableRandom(s.seed());
        int falsePositives = 0;
        long maxN = 2L * s.looks() * s.usersPerLook();
        for (int e = 0; e < s.experiments(); e++) {
            SplittableRandom random = root.split();
            if (experimentRejects(s, random, maxN)) {
                falsePositives++;
            }
        }
        double rate = (double) falsePositives / s.experiments();
        return new Result(s, falsePositives, rate, Math.sqrt(rate * (1 - rate) / s.experiments()));
    }

    private static boolean experimentRejects(Settings s, SplittableRandom random, long maxN) {
        long nA = 0;
        long nB = 0;
        long cA = 0;
        long cB = 0;
        double previousP = 1.0;
        long[] looks = new long[s.looks()];
        for (int look = 0; look < s.looks(); look++) {
            for (int u = 0; u < s.usersPerLook(); u++) {
                if (random.nextDouble() < s.conversionRate()) {
                    cA++;
                }
                if (random.nextDouble() < s.conversionRate()) {
                    cB++;
                }
            }
            nA += s.usersPerLook();
            nB += s.usersPerLook();
            looks[look] = nA + nB;
            AnalysisRequest.Builder request = AnalysisRequest.builder()
                    .metric(MetricType.PROPORTION)
                    .method(s.method())
                    .alpha(s.alpha())
                    .previousPValue(previousP)
                    .arms(List.of(ArmInput.of("a", SampleStats.of(nA, cA, cA)), ArmInput.of("b", SampleStats.of(nB, cB, cB))));
            if (s.method() == Method.GST) {
                request.gst(maxN, Arrays.copyOf(looks, look));
            }
            AnalysisResult.Comparison c = Analyzer.analyze(request.build()).comparisons().get(0);
            if (!c.status().ok()) {
                continue;
            }
            if (c.significant()) {
                return true;
            }
            previousP = c.pValue();
        }
        return false;
    }
}
