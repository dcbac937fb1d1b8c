package io.liftstream.experiments.stats.simulation;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.results.AnalysisSpec;
import io.liftstream.experiments.results.ExperimentResult;
import io.liftstream.experiments.results.MetricSpec;
import io.liftstream.experiments.results.Recommendation;
import io.liftstream.experiments.results.ResultsCalculator;
import io.liftstream.experiments.results.ResultsMemory;
import io.liftstream.experiments.results.ResultsTotals;
import io.liftstream.experiments.results.SrmEpochs;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.sequential.SequentialConfig;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded A/A simulation through the results job's own per-look computation ({@code ./liftstream
 * simulate aa --through results}): each experiment is an {@link ExperimentDefinition} with arms
 * {@code control} and {@code treatment} (50/50, fixed policy, a conversion reward) and the chosen
 * analysis method (gst plans {@code gst_max_n} at the final total); every look (an hourly result)
 * adds {@code usersPerLook} users per arm to a {@link ResultsTotals}, feeds the SRM epochs
 * ({@link SrmEpochs#addUsers}) and calls {@link ResultsCalculator#compute} with the experiment's
 * {@link ResultsMemory}, exactly as the results job's {@code ExperimentResultsFunction} does.
 *
 * <p>An experiment is a false positive when any look's recommendation is {@code ship …}, or
 * {@code stop} while a primary comparison is significant (what experimenters act on); it ends at
 * that look. A {@code stop} without a significant comparison is gst's "reached the planned
 * {@code gst_max_n} without crossing the boundary: no effect of the planned size", the right
 * conclusion of an A/A test: it ends the experiment and is counted apart. The method {@code fixed}
 * is never acted on while the experiment runs (the job recommends {@code continue} until it is
 * stopped), so its peeking is measured by {@code significantAtSomeLook}. Every record produced is also
 * checked for consistency: a primary comparison (and the absolute comparison it carries, if any)
 * is inconsistent when {@code ci_lower > ci_upper} or when it is significant while its interval
 * contains 0; the converse (an interval excluding 0 that is not significant) is counted apart.
 * Experiment i draws from its own {@link SplittableRandom} split off the seed, in the same order as
 * {@link AaSimulation}, so both modes see the same conversions.
 */
public final class ResultsAaSimulation {
    private ResultsAaSimulation() {}

    private static final String[] ARMS = {"control", "treatment"};
    private static final RewardSpec REWARD = new RewardSpec("Order Completed", "conversion", Duration.ofDays(1));

    /** Settings: as {@link AaSimulation.Settings}, but every method, bayesian included. */
    public record Settings(Method method, int experiments, int looks, int usersPerLook, double conversionRate,
            double alpha, long seed) {
        public Settings {
            if (method == null) {
                throw new IllegalArgumentException("method is required");
            }
            AaSimulation.checkSizes(experiments, looks, usersPerLook, conversionRate, alpha);
        }
    }

    /**
     * @param falsePositives experiments with a {@code ship …} or {@code stop} recommendation at some look
     * @param monteCarloSe binomial standard error √(r(1 − r)/experiments) of the rate
     * @param shipped of the false positives, those recommended {@code ship …}
     * @param stoppedWithoutEffect experiments recommended {@code stop} with no significant comparison:
     *     gst reaching its planned {@code gst_max_n} without crossing (the right end of an A/A test)
     * @param significantAtSomeLook experiments whose primary comparison was {@code significant} at some
     *     look before they ended (what someone reading the records' {@code significant} would act on;
     *     for {@code fixed} the job recommends {@code continue} until the experiment is stopped)
     * @param records results computed (looks taken, up to each experiment's first ship or stop)
     * @param inconsistentRecords records whose primary comparison is significant with 0 in its
     *     interval, or has {@code ci_lower > ci_upper}
     * @param excludesZeroNotSignificant records whose primary interval excludes 0 but is not significant
     */
    public record Result(Settings settings, int falsePositives, double falsePositiveRate, double monteCarloSe,
            int shipped, int stoppedWithoutEffect, int significantAtSomeLook, long records,
            long inconsistentRecords, long excludesZeroNotSignificant) {}

    /** The definition an experiment of {@code s} is analysed under. */
    public static ExperimentDefinition definition(Settings s) {
        long gstMaxN = s.method() == Method.GST ? 2L * s.looks() * s.usersPerLook() : 0;
        AnalysisSpec spec = new AnalysisSpec(s.method(), s.alpha(), true, Sides.TWO, SequentialConfig.DEFAULT_TUNING,
                null, gstMaxN, null, null, List.of());
        return ExperimentDefinition.builder("aa").arms(ARMS).reward(REWARD).analysis(spec).build();
    }

    public static Result run(Settings s) {
        ExperimentDefinition d = definition(s);
        SplittableRandom root = new SplittableRandom(s.seed());
        Counts counts = new Counts();
        for (int e = 0; e < s.experiments(); e++) {
            experiment(s, d, root.split(), counts);
        }
        double rate = (double) counts.falsePositives / s.experiments();
        return new Result(s, counts.falsePositives, rate, Math.sqrt(rate * (1 - rate) / s.experiments()),
                counts.shipped, counts.stoppedWithoutEffect, counts.significantAtSomeLook, counts.records,
                counts.inconsistent, counts.excludesZeroNotSignificant);
    }

    private static final class Counts {
        int falsePositives;
        int shipped;
        long records;
        long inconsistent;
        long excludesZeroNotSignificant;
        int significantAtSomeLook;
        int stoppedWithoutEffect;
    }

    private static void experiment(Settings s, ExperimentDefinition d, SplittableRandom random, Counts counts) {
        ResultsTotals totals = new ResultsTotals();
        ResultsMemory memory = new ResultsMemory();
        String[] arms = ResultsCalculator.armNames(d);
        double[] weights = ResultsCalculator.expectedWeights(d);
        String control = ResultsTotals.arm(ARMS[0]);
        String treatment = ResultsTotals.arm(ARMS[1]);
        boolean seenSignificant = false;
        for (int look = 0; look < s.looks(); look++) {
            long cA = 0;
            long cB = 0;
            for (int u = 0; u < s.usersPerLook(); u++) {
                if (random.nextDouble() < s.conversionRate()) {
                    cA++;
                }
                if (random.nextDouble() < s.conversionRate()) {
                    cB++;
                }
            }
            // The job's order: the SRM epochs per group (sorted keys), then the totals add the batch.
            SrmEpochs.addUsers(memory, arms, weights, ARMS[0], s.usersPerLook());
            SrmEpochs.addHoldoutUsers(memory, d.holdoutPct(), false, s.usersPerLook());
            SrmEpochs.addUsers(memory, arms, weights, ARMS[1], s.usersPerLook());
            SrmEpochs.addHoldoutUsers(memory, d.holdoutPct(), false, s.usersPerLook());
            totals.addUsers(control, s.usersPerLook());
            totals.addMetric(control, MetricSpec.REWARD_NAME, cA, cA);
            totals.addUsers(treatment, s.usersPerLook());
            totals.addMetric(treatment, MetricSpec.REWARD_NAME, cB, cB);

            ExperimentResult r = ResultsCalculator.compute(d, totals, memory);
            counts.records++;
            boolean significant = false;
            for (AnalysisResult.Comparison c : r.primary().comparisons()) {
                check(c, counts);
                if (c.absolute() != null) {
                    check(c.absolute(), counts);
                }
                significant |= c.decision().significant();
            }
            if (significant && !seenSignificant) {
                seenSignificant = true;
                counts.significantAtSomeLook++;
            }
            String action = r.recommendation().action();
            if (action.startsWith("ship ")) {
                counts.falsePositives++;
                counts.shipped++;
                return;
            }
            if (action.equals(Recommendation.STOP)) {
                if (significant) {
                    counts.falsePositives++;
                } else {
                    counts.stoppedWithoutEffect++;
                }
                return;
            }
        }
    }

    private static void check(AnalysisResult.Comparison c, Counts counts) {
        if (!c.status().ok() && !c.significant()) {
            return;
        }
        boolean containsZero = c.ciLower() <= 0 && c.ciUpper() >= 0;
        if (c.ciLower() > c.ciUpper() || (c.significant() && containsZero)) {
            counts.inconsistent++;
        } else if (!c.significant() && (c.ciLower() > 0 || c.ciUpper() < 0)) {
            counts.excludesZeroNotSignificant++;
        }
    }
}
