package io.liftstream.experiments.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Capping;
import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.Status;
import io.liftstream.experiments.stats.bayesian.EffectPrior;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The results package's small contracts: what an analysis spec and a metric refuse (each message
 * names the option), their defaults, the running intersection's edge cases, the holdout SRM's
 * epochs at 0 and 100 %, and the totals' phase keys, merging and identity.
 */
class ResultsSpecsAndStateTest {
    private static final MetricSpec REVENUE = new MetricSpec("revenue", "Order Completed", "revenue", Duration.ofDays(7),
            MetricSpec.Desired.INCREASE);

    private static AnalysisSpec spec(Method method, double alpha, double tuning, Double tau2, long gstMaxN) {
        return new AnalysisSpec(method, alpha, true, Sides.TWO, tuning, tau2, gstMaxN, null, null, List.of());
    }

    @Test
    void analysisSpecRefusesEachBadSettingByName() {
        for (double alpha : new double[] {0, 1, -0.1, Double.NaN}) {
            assertThatThrownBy(() -> spec(Method.SEQUENTIAL, alpha, 5000, null, 0))
                    .hasMessage("analysis.alpha must be in (0, 1), was " + alpha);
        }
        for (double tuning : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> spec(Method.SEQUENTIAL, 0.05, tuning, null, 0))
                    .hasMessage("analysis.sequential_tuning must be positive, was " + tuning);
        }
        for (double tau2 : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> spec(Method.MSPRT, 0.05, 5000, tau2, 0))
                    .hasMessage("analysis.msprt_tau2 must be positive, was " + tau2);
        }
        assertThatThrownBy(() -> spec(Method.SEQUENTIAL, 0.05, 5000, null, -1))
                .hasMessage("analysis.gst_max_n must be positive, was -1");
        assertThatThrownBy(() -> spec(Method.GST, 0.05, 5000, null, 0))
                .hasMessage("analysis.gst_max_n is required when analysis.method is gst");
        assertThat(spec(Method.GST, 0.05, 5000, null, 1).gstMaxN()).isEqualTo(1);
        assertThat(spec(Method.MSPRT, 0.05, 5000, Double.MIN_VALUE, 0).msprtTau2()).isEqualTo(Double.MIN_VALUE);
        assertThat(spec(Method.SEQUENTIAL, 0.001, 0.5, null, 0).alpha()).isEqualTo(0.001);
    }

    @Test
    void bayesianSettingsAreCheckedAndBelongToBayesian() {
        EffectPrior prior = EffectPrior.relative(true, 0, 0.3);
        String onlyBayesian = "analysis.prior_proper, prior_mean, prior_stddev, confidence_level and win_risk apply to method bayesian only";
        assertThatThrownBy(() -> bayesian(Method.SEQUENTIAL, prior, null, null)).hasMessage(onlyBayesian);
        assertThatThrownBy(() -> bayesian(Method.FIXED, null, 0.95, null)).hasMessage(onlyBayesian);
        assertThatThrownBy(() -> bayesian(Method.MSPRT, null, null, 0.01)).hasMessage(onlyBayesian);
        for (double level : new double[] {0.5, 1.0, 0.2, Double.NaN}) {
            assertThatThrownBy(() -> bayesian(Method.BAYESIAN, null, level, null))
                    .hasMessage("analysis.confidence_level must be in (0.5, 1), was " + level);
        }
        for (double risk : new double[] {-0.001, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> bayesian(Method.BAYESIAN, null, null, risk))
                    .hasMessage("analysis.win_risk must be a non-negative number, was " + risk);
        }
        AnalysisSpec ok = bayesian(Method.BAYESIAN, prior, 0.9, 0.0);
        assertThat(ok.priorOrFlat()).isEqualTo(prior);
        assertThat(ok.winRisk()).isEqualTo(0.0);
        assertThat(bayesian(Method.BAYESIAN, null, Math.nextUp(0.5), null).priorOrFlat()).isEqualTo(EffectPrior.FLAT);
    }

    private static AnalysisSpec bayesian(Method method, EffectPrior prior, Double level, Double risk) {
        return new AnalysisSpec(method, 0.05, true, Sides.TWO, 5000, null, 0, null, null, List.of(), prior, level, risk);
    }

    @Test
    void analysisSpecDefaultsAndUniqueMetricNames() {
        AnalysisSpec d = new AnalysisSpec(null, 0.05, true, null, 5000, null, 0, null, null, null);
        assertThat(d.method()).isEqualTo(Method.SEQUENTIAL).isEqualTo(AnalysisSpec.DEFAULT_METHOD);
        assertThat(d.sides()).isEqualTo(Sides.TWO);
        assertThat(d.guardrails()).isEmpty();
        assertThat(AnalysisSpec.DEFAULTS.method()).isEqualTo(Method.SEQUENTIAL);
        assertThat(AnalysisSpec.DEFAULTS.alpha()).isEqualTo(0.05);
        MetricSpec reward = new MetricSpec(MetricSpec.REWARD_NAME, "x", null, Duration.ofDays(1), null);
        assertThatThrownBy(() -> new AnalysisSpec(null, 0.05, true, null, 5000, null, 0, null, null, List.of(reward)))
                .hasMessage("analysis: metric names must be unique, 'reward' repeats");
        assertThatThrownBy(() -> new AnalysisSpec(null, 0.05, true, null, 5000, null, 0, null, REVENUE, List.of(REVENUE)))
                .hasMessage("analysis: metric names must be unique, 'revenue' repeats");
        assertThat(new AnalysisSpec(null, 0.05, true, null, 5000, null, 0, null, REVENUE, List.of(reward)).guardrails())
                .containsExactly(reward);
    }

    @Test
    void metricSpecRefusesAndDefaults() {
        assertThatThrownBy(() -> new MetricSpec(" ", "e", null, Duration.ofDays(1), null)).hasMessage("a metric needs a name");
        assertThatThrownBy(() -> new MetricSpec(null, "e", null, Duration.ofDays(1), null)).hasMessage("a metric needs a name");
        assertThatThrownBy(() -> new MetricSpec("m", " ", null, Duration.ofDays(1), null))
                .hasMessage("metric 'm': event must not be empty");
        assertThatThrownBy(() -> new MetricSpec("m", null, null, Duration.ofDays(1), null))
                .hasMessage("metric 'm': event must not be empty");
        for (Duration w : new Duration[] {null, Duration.ZERO, Duration.ofHours(-1)}) {
            assertThatThrownBy(() -> new MetricSpec("m", "e", null, w, null))
                    .hasMessage("metric 'm': window must be a positive ISO-8601 duration, was " + w);
        }
        MetricSpec m = new MetricSpec("m", "e", " ", Duration.ofMillis(1), null);
        assertThat(m.value()).isEqualTo(RewardSpec.CONVERSION);
        assertThat(m.desired()).isEqualTo(MetricSpec.Desired.INCREASE);
        assertThat(m.metricType()).isEqualTo(MetricType.PROPORTION);
        assertThat(REVENUE.metricType()).isEqualTo(MetricType.MEAN);
        assertThatThrownBy(() -> new MetricSpec("m", "e", "revenue", Duration.ofDays(1), null, null, Duration.ofDays(7),
                new MetricSpec.Denominator("Order", null))).hasMessage("metric 'm': a ratio metric (denominator) cannot use CUPED");
        assertThat(MetricSpec.Desired.of("decrease")).isEqualTo(MetricSpec.Desired.DECREASE);
        assertThatThrownBy(() -> MetricSpec.Desired.of("down"))
                .hasMessage("desired must be \"increase\" or \"decrease\", was \"down\"");
    }

    /** Ratio metrics: a denominator needs an event, counts conversions by default, sums a property otherwise. */
    @Test
    void ratioDenominators() {
        assertThatThrownBy(() -> new MetricSpec.Denominator(" ", null)).hasMessage("denominator.event must not be empty");
        assertThatThrownBy(() -> new MetricSpec.Denominator(null, "items")).hasMessage("denominator.event must not be empty");
        MetricSpec.Denominator orders = new MetricSpec.Denominator("Order", " ");
        assertThat(orders.isConversion()).isTrue();
        assertThat(orders.next(0, 5.0)).isEqualTo(1.0);
        MetricSpec.Denominator items = new MetricSpec.Denominator("Order", "items");
        assertThat(items.isConversion()).isFalse();
        assertThat(items.next(2, 3.0)).isEqualTo(5.0);
        assertThat(items.next(2, null)).isEqualTo(2.0);
        assertThat(items.next(2, Double.NaN)).isEqualTo(2.0);
        assertThat(items.next(2, Double.POSITIVE_INFINITY)).isEqualTo(2.0);
        MetricSpec perOrder = new MetricSpec("rpo", "Order", "revenue", Duration.ofDays(1), null, null, null, items);
        assertThat(perOrder.isRatio()).isTrue();
        assertThat(perOrder.metricType()).isEqualTo(MetricType.MEAN);
        assertThat(perOrder.denominatorKey()).isEqualTo("rpo\u0003denominator");
        assertThat(REVENUE.isRatio()).isFalse();
    }

    /** A user's value: conversions are 0/1, sums skip missing or non-finite properties; the window is [exposure, +w). */
    @Test
    void metricValuesContributionsAndWindow() {
        MetricSpec conversion = new MetricSpec("c", "e", null, Duration.ofMillis(100), null);
        assertThat(conversion.next(0, 7.0)).isEqualTo(1.0);
        assertThat(conversion.contribution(7.0)).isEqualTo(1.0);
        assertThat(conversion.covariate(3)).isEqualTo(1.0);
        assertThat(conversion.covariate(0)).isEqualTo(0.0);
        assertThat(REVENUE.next(2, 3.0)).isEqualTo(5.0);
        assertThat(REVENUE.next(2, null)).isEqualTo(2.0);
        assertThat(REVENUE.next(2, Double.NaN)).isEqualTo(2.0);
        assertThat(REVENUE.contribution(4.0)).isEqualTo(4.0);
        assertThat(REVENUE.contribution(null)).isEqualTo(0.0);
        assertThat(REVENUE.contribution(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
        assertThat(REVENUE.covariate(-3)).isEqualTo(-3.0);
        assertThat(REVENUE.preExposureWindow()).isNull();
        MetricSpec capped = new MetricSpec("r", "e", "revenue", Duration.ofDays(1), null, Capping.absolute(10),
                Duration.ofDays(3));
        assertThat(capped.covariate(25)).isEqualTo(10.0);
        assertThat(capped.preExposureWindow()).isEqualTo(new PreExposureWindow(PreExposureWindow.DAY, 3));
        assertThat(conversion.inWindow(1000, 1000)).isTrue();
        assertThat(conversion.inWindow(1000, 1099)).isTrue();
        assertThat(conversion.inWindow(1000, 1100)).isFalse();
        assertThat(conversion.inWindow(1000, 999)).isFalse();
        assertThat(MetricSpec.fromReward(new RewardSpec("Order Completed", "revenue", Duration.ofDays(2))))
                .isEqualTo(new MetricSpec("reward", "Order Completed", "revenue", Duration.ofDays(2), MetricSpec.Desired.INCREASE));
    }

    @Test
    void experimentMetricsAndTheirLongestWindow() {
        ExperimentDefinition none = ExperimentDefinition.builder("e").arms("a", "b").build();
        assertThat(ExperimentMetrics.of(none)).isEmpty();
        assertThat(ExperimentMetrics.maxWindowMillis(none)).isZero();
        MetricSpec week = new MetricSpec("w", "x", null, Duration.ofDays(7), null);
        ExperimentDefinition d = ExperimentDefinition.builder("e").arms("a", "b")
                .reward(new RewardSpec("Order Completed", "conversion", Duration.ofDays(1)))
                .analysis(new AnalysisSpec(null, 0.05, true, null, 5000, null, 0, null, null, List.of(week, REVENUE)))
                .build();
        assertThat(ExperimentMetrics.of(d)).extracting(MetricSpec::name).containsExactly("reward", "w", "revenue");
        assertThat(ExperimentMetrics.maxWindowMillis(d)).isEqualTo(Duration.ofDays(7).toMillis());
    }

    @Test
    void preExposureWindowsAreWholeDaysOrHoursAndAlignedToBuckets() {
        assertThatThrownBy(() -> PreExposureWindow.of(null)).hasMessage(
                "cuped.lookback must be a positive ISO-8601 duration such as P14D, was null");
        assertThatThrownBy(() -> PreExposureWindow.of(Duration.ZERO)).hasMessageContaining("positive ISO-8601");
        assertThat(PreExposureWindow.of(Duration.ofHours(36))).isEqualTo(new PreExposureWindow(PreExposureWindow.HOUR, 36));
        assertThat(PreExposureWindow.of(Duration.ofDays(400)).buckets()).isEqualTo(400);
        assertThat(PreExposureWindow.of(Duration.ofHours(400)).buckets()).isEqualTo(400);
        assertThatThrownBy(() -> PreExposureWindow.of(Duration.ofDays(401)))
                .hasMessage("cuped.lookback is too long: at most 400 days, was PT9624H");
        assertThatThrownBy(() -> PreExposureWindow.of(Duration.ofHours(401)))
                .hasMessage("cuped.lookback is too long: at most 400 hours (use whole days beyond that), was PT401H");
        for (int[] bad : new int[][] {{0, 1}, {1, 0}, {1, 401}}) {
            assertThatThrownBy(() -> new PreExposureWindow(bad[0], bad[1]))
                    .hasMessage("invalid pre-exposure window: " + bad[1] + " buckets of " + bad[0] + " ms");
        }
        PreExposureWindow w = new PreExposureWindow(PreExposureWindow.DAY, 2);
        long day = PreExposureWindow.DAY;
        long exposure = 10 * day + 5;
        assertThat(w.start(exposure)).isEqualTo(8 * day);
        assertThat(w.end(exposure)).isEqualTo(10 * day);
        assertThat(w.contains(exposure, 8 * day)).isTrue();
        assertThat(w.contains(exposure, 8 * day - 1)).isFalse();
        assertThat(w.contains(exposure, 10 * day - 1)).isTrue();
        assertThat(w.contains(exposure, 10 * day)).isFalse();
        assertThat(w.bucket(-1)).isEqualTo(-1);
        assertThat(w.newRing().sums).hasSize(3);
    }

    /** The running intersection: unchanged without numbers, narrowed, significant only when it excludes 0, empty → disagree. */
    @Test
    void runningIntersectionEdges() {
        Map<String, double[]> memory = new HashMap<>();
        AnalysisResult.Comparison failed = AnalysisResult.Comparison.failed("b", Status.TOO_FEW_UNITS);
        assertThat(AlwaysValidLooks.intersect(failed, memory, "k", 1)).isSameAs(failed);
        assertThat(memory).isEmpty();
        AnalysisResult.Comparison first = comparison(-0.02, 0.10, 0.3);
        AnalysisResult.Comparison a = AlwaysValidLooks.intersect(first, memory, "k", 3);
        assertThat(a.ciLower()).isEqualTo(-0.02);
        assertThat(a.pValueAdjusted()).isCloseTo(0.9, within(1e-15));
        assertThat(a.significant()).isFalse();
        // Narrower on the left, wider on the right: the intersection keeps the tighter end of each.
        AnalysisResult.Comparison b = AlwaysValidLooks.intersect(comparison(0.0, 0.12, 0.2), memory, "k", 3);
        assertThat(new double[] {b.ciLower(), b.ciUpper()}).containsExactly(0.0, 0.10);
        assertThat(b.significant()).as("touching 0 does not exclude it").isFalse();
        assertThat(b.pValueAdjusted()).isCloseTo(0.6, within(1e-15));
        AnalysisResult.Comparison c = AlwaysValidLooks.intersect(comparison(0.01, 0.2, 0.5), memory, "k", 3);
        assertThat(new double[] {c.ciLower(), c.ciUpper()}).containsExactly(0.01, 0.10);
        assertThat(c.significant()).isTrue();
        assertThat(c.pValueAdjusted()).isEqualTo(1.0);
        assertThat(memory.get("k")).containsExactly(0.01, 0.10);
        // Below 0 on its own key; touching 0 from below does not exclude it either.
        assertThat(AlwaysValidLooks.intersect(comparison(-0.2, -0.01, 0.001), memory, "m", 1).significant()).isTrue();
        assertThat(AlwaysValidLooks.intersect(comparison(-0.2, 0.0, 0.05), memory, "n", 1).significant()).isFalse();
        // A single point is still an interval; past it, the looks disagree.
        assertThat(AlwaysValidLooks.intersect(comparison(0.10, 0.3, 0.001), memory, "k", 1).status()).isEqualTo(Status.OK);
        AnalysisResult.Comparison apart = AlwaysValidLooks.intersect(comparison(0.11, 0.3, 0.001), memory, "k", 1);
        assertThat(apart.status()).isEqualTo(Status.LOOKS_DISAGREE);
        assertThat(apart.arm()).isEqualTo("b");
    }

    private static AnalysisResult.Comparison comparison(double lower, double upper, double p) {
        return new AnalysisResult.Comparison("b", Status.OK, 0.5 * (lower + upper), 0.01, lower, upper, p, p,
                Double.NaN, Double.NaN, Double.NaN, false);
    }

    /** Holdout SRM: epochs at 0 or 100 % expect one group and give no evidence; an epoch without users reads 1. */
    @Test
    void holdoutSrmEpochsAtTheEdges() {
        ResultsMemory m = new ResultsMemory();
        assertThat(SrmEpochs.holdoutCheckable(m)).isFalse();
        assertThat(SrmEpochs.holdoutChiSquarePValue(m)).isNaN();
        assertThat(SrmEpochs.holdoutSequentialPValue(m)).isEqualTo(1.0);
        SrmEpochs.addHoldoutUsers(m, 0, false, 500);
        assertThat(SrmEpochs.holdoutCheckable(m)).isFalse();
        assertThat(SrmEpochs.holdoutChiSquarePValue(m)).isNaN();
        assertThat(SrmEpochs.holdoutSequentialPValue(m)).isEqualTo(1.0);
        SrmEpochs.addHoldoutUsers(m, 100, true, 500);
        assertThat(SrmEpochs.holdoutCheckable(m)).isFalse();
        assertThat(SrmEpochs.holdoutSequentialPValue(m)).isEqualTo(1.0);
        SrmEpochs.addHoldoutUsers(m, 10, true, 0);
        assertThat(SrmEpochs.holdoutCheckable(m)).isTrue();
        assertThat(SrmEpochs.holdoutChiSquarePValue(m)).isEqualTo(1.0);
        // 10 %: 300 held out of 1000 is a mismatch (expected 100).
        SrmEpochs.addHoldoutUsers(m, 10, true, 300);
        SrmEpochs.addHoldoutUsers(m, 10, false, 700);
        assertThat(SrmEpochs.holdoutChiSquarePValue(m)).isLessThan(1e-20);
        double mismatch = SrmEpochs.holdoutSequentialPValue(m);
        assertThat(mismatch).isLessThan(1e-6);
        // A new epoch at 20 % with the right split: the chi-square reads this epoch, the sequential p keeps its minimum.
        SrmEpochs.addHoldoutUsers(m, 20, true, 200);
        SrmEpochs.addHoldoutUsers(m, 20, false, 800);
        assertThat(SrmEpochs.holdoutChiSquarePValue(m)).isEqualTo(1.0);
        assertThat(SrmEpochs.holdoutSequentialPValue(m)).isEqualTo(mismatch);
        assertThat(m.holdoutSrmClosedLogBf).isCloseTo(-Math.log(mismatch), within(1e-9));
    }

    /** Arm SRM epochs: a weight change closes the epoch (its evidence kept), the chi-square reads the new one. */
    @Test
    void armSrmEpochsKeepClosedEvidence() {
        ResultsMemory m = new ResultsMemory();
        String[] arms = {"a", "b"};
        assertThat(SrmEpochs.chiSquarePValue(m)).isEqualTo(1.0);
        assertThat(SrmEpochs.sequentialPValue(m)).isEqualTo(1.0);
        SrmEpochs.addUsers(m, arms, new double[] {0.5, 0.5}, "a", 0);
        assertThat(SrmEpochs.chiSquarePValue(m)).isEqualTo(1.0);
        assertThat(SrmEpochs.sequentialPValue(m)).isEqualTo(1.0);
        SrmEpochs.addUsers(m, arms, new double[] {0.5, 0.5}, "a", 7000);
        SrmEpochs.addUsers(m, arms, new double[] {0.5, 0.5}, "b", 3000);
        SrmEpochs.addUsers(m, arms, new double[] {0.5, 0.5}, "c", 999); // not an arm: not counted
        assertThat(m.srmCounts).containsExactly(7000, 3000);
        double mismatch = SrmEpochs.sequentialPValue(m);
        assertThat(mismatch).isLessThan(1e-6);
        SrmEpochs.addUsers(m, arms, new double[] {0.9, 0.1}, "a", 900);
        SrmEpochs.addUsers(m, arms, new double[] {0.9, 0.1}, "b", 100);
        assertThat(m.srmClosedLogBf).isCloseTo(-Math.log(mismatch), within(1e-9));
        assertThat(SrmEpochs.chiSquarePValue(m)).isEqualTo(1.0);
        assertThat(SrmEpochs.sequentialPValue(m)).isEqualTo(mismatch);
        // Same weights, another arm list: a new epoch too.
        SrmEpochs.addUsers(m, new String[] {"a", "c"}, new double[] {0.9, 0.1}, "c", 5);
        assertThat(m.srmCounts).containsExactly(0, 5);
    }

    /** Phase keys: the first phase is the bare group; any other carries its start. */
    @Test
    void totalsPhaseKeysMergingAndIdentity() {
        assertThat(ResultsTotals.phased("arm:a", ResultsTotals.FIRST_PHASE)).isEqualTo("arm:a");
        String key = ResultsTotals.phased("arm:a", 1234);
        assertThat(key).isEqualTo("arm:a\u00021234");
        assertThat(ResultsTotals.groupOf(key)).isEqualTo("arm:a");
        assertThat(ResultsTotals.phaseOf(key)).isEqualTo(1234);
        assertThat(ResultsTotals.groupOf("arm:a")).isEqualTo("arm:a");
        assertThat(ResultsTotals.phaseOf("arm:a")).isEqualTo(ResultsTotals.FIRST_PHASE);
        assertThat(ResultsTotals.group("a", true)).isEqualTo(ResultsTotals.HOLDOUT);
        assertThat(ResultsTotals.group("a", false)).isEqualTo("arm:a");

        ResultsTotals t = new ResultsTotals();
        t.addUsers("arm:a", 10);
        t.addUsers(key, 5);
        t.addUsers(ResultsTotals.phased("arm:ab", 1234), 7); // a group whose name extends "arm:a" is another group
        t.addMetric("arm:a", "m", 3, 3);
        t.addMetric(key, "m", 2, 4);
        assertThat(t.users("arm:a")).isEqualTo(15);
        assertThat(t.users(1234, "arm:a")).isEqualTo(5);
        assertThat(t.users(99, "arm:a")).isZero();
        assertThat(t.phases()).containsExactly(ResultsTotals.FIRST_PHASE, 1234L);
        assertThat(t.stats("arm:a", "m")).isEqualTo(SampleStats.of(15, 5, 7));
        // Without CUPED moments (older state: null maps) the covariate reads empty.
        t.preSums = null;
        t.preSumSquares = null;
        t.sumProducts = null;
        assertThat(t.cupedStats(1234, "arm:a", "m"))
                .isEqualTo(new CupedStats(SampleStats.of(5, 2, 4), SampleStats.of(5, 0, 0), 0));
        t.addCovariate(key, "m", 1, 1, 2);
        assertThat(t.cupedStats(1234, "arm:a", "m"))
                .isEqualTo(new CupedStats(SampleStats.of(5, 2, 4), SampleStats.of(5, 1, 1), 2));

        ResultsTotals u = new ResultsTotals();
        u.add(t);
        u.conflicts = 0;
        t.conflicts = 0;
        assertThat(u).isEqualTo(t).hasSameHashCodeAs(t);
        u.add(t);
        assertThat(u.cupedStats(1234, "arm:a", "m"))
                .isEqualTo(new CupedStats(SampleStats.of(10, 4, 8), SampleStats.of(10, 2, 2), 4));
        assertThat(u).isNotEqualTo(t);
        ResultsTotals v = new ResultsTotals();
        v.add(t);
        v.conflicts = 1;
        assertThat(v).isNotEqualTo(t);
        t.conflicts = 3;
        v.add(t);
        assertThat(v.conflicts).isEqualTo(4);
        t.conflicts = 0;
        ResultsTotals w = new ResultsTotals();
        w.add(t);
        w.sumProducts.put("x", 1.0);
        assertThat(w).isNotEqualTo(t);
        assertThat(t).isNotEqualTo("totals");
        assertThat(new ResultsTotals().toString()).isEqualTo("ResultsTotals{users={}, sums={}, sumSquares={}, conflicts=0}");
    }

    /** A phase counts once every compared arm has 2 users; without any user the result is empty. */
    @Test
    void phasesCountFromTwoUsersPerArm() {
        ResultsTotals t = new ResultsTotals();
        List<List<String>> arms = List.of(List.of("arm:a"), List.of("arm:b"));
        PhaseCombination.Combined none = PhaseCombination.byTraffic(t, arms, "m", MetricType.PROPORTION);
        assertThat(none.phases()).isZero();
        assertThat(none.combined()).containsExactly(SampleStats.EMPTY, SampleStats.EMPTY);
        for (String g : List.of("arm:a", "arm:b")) {
            t.addUsers(g, 100);
            t.addMetric(g, "m", 10, 10);
            t.addUsers(ResultsTotals.phased(g, 5000), 2);
            t.addMetric(ResultsTotals.phased(g, 5000), "m", 1, 1);
        }
        assertThat(PhaseCombination.byTraffic(t, arms, "m", MetricType.PROPORTION).phases()).isEqualTo(2);
        t.addUsers(ResultsTotals.phased("arm:a", 9000), 1);
        t.addUsers(ResultsTotals.phased("arm:b", 9000), 5);
        PhaseCombination.Combined c = PhaseCombination.byTraffic(t, arms, "m", MetricType.PROPORTION);
        assertThat(c.phases()).isEqualTo(2);
        assertThat(c.type()).isEqualTo(MetricType.MEAN);
    }

    @Test
    void adaptivePoliciesAreCutIntoPeriods() {
        assertThat(Phases.adaptive(PolicyType.FIXED)).isFalse();
        assertThat(Phases.adaptive(PolicyType.UNIFORM)).isFalse();
        for (PolicyType p : new PolicyType[] {PolicyType.THOMPSON, PolicyType.TOP_TWO, PolicyType.EPSILON_GREEDY}) {
            assertThat(Phases.adaptive(p)).as("%s", p).isTrue();
        }
        ExperimentDefinition bandit = ExperimentDefinition.builder("e").arms("a", "b").policy(PolicyType.THOMPSON)
                .reward(new RewardSpec("Order Completed", "conversion", Duration.ofDays(1))).build();
        assertThat(Phases.phaseOf(bandit, 100, 5_000, 0)).isEqualTo(100);
        assertThat(Phases.phaseOf(bandit, 100, 5_000, 1_000)).isEqualTo(5_000);
        assertThat(Phases.phaseOf(bandit, 100, -1, 1_000)).isEqualTo(100);
        assertThat(Phases.allocationKey(bandit)).isEqualTo("thompson|a=0.5|b=0.5|coverage=1.0|holdout=0.0");
    }

    @Test
    void cupedDeltasAddUpAndApply() {
        CupedDelta exposed = CupedDelta.exposed(3);
        assertThat(exposed).isEqualTo(new CupedDelta(1, 0, 0, 3, 9, 0));
        CupedDelta change = CupedDelta.change(1, 3, 4, 2);
        assertThat(change).isEqualTo(new CupedDelta(0, 3, 15, -1, -5, 5));
        CupedDelta both = exposed.plus(change);
        assertThat(both).isEqualTo(new CupedDelta(1, 3, 15, 2, 4, 5));
        CupedStats s = both.applyTo(new CupedStats(SampleStats.of(1, 1, 1), SampleStats.of(1, 2, 4), 2));
        assertThat(s).isEqualTo(new CupedStats(SampleStats.of(2, 4, 16), SampleStats.of(2, 4, 8), 7));
        MetricSpec capped = new MetricSpec("r", "e", "revenue", Duration.ofDays(1), null, Capping.absolute(10),
                Duration.ofDays(3));
        assertThat(CupedDelta.forLatePreOutcome(capped, 12, 5, 15)).isEqualTo(CupedDelta.change(10, 5, 10, 10));
        assertThat(CupedDelta.forOutcome(capped, 4, 14, 20)).isEqualTo(CupedDelta.change(4, 10, 10, 10));
        assertThat(CupedDelta.forExposure(capped, 20)).isEqualTo(CupedDelta.exposed(10));
        assertThat(CupedDelta.NONE.plus(exposed)).isEqualTo(exposed);
    }
}
