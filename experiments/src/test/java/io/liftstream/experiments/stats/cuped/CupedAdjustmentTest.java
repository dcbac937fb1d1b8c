package io.liftstream.experiments.stats.cuped;

import static io.liftstream.experiments.stats.Golden.assertRounded5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.ArmMoments;
import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.EffectEstimator;
import io.liftstream.experiments.stats.Inference;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.frequentist.WelchTTest;
import io.liftstream.experiments.stats.sequential.ConfidenceSequence;
import io.liftstream.experiments.stats.sequential.SequentialConfig;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

class CupedAdjustmentTest {

    @Test
    void matchesGbstatsRegressionAdjustedSequentialTest() {
        // gbstats tests/frequentist/test_tests.py test_sequential_test_runs_ra (θ computed, default
        // tuning 5000): expected 0.50338, ci (-0.50969, 1.51646), stddev 0.33341.
        CupedStats a = new CupedStats(SampleStats.of(3000, 1396.87, 52377.9767), SampleStats.of(3000, 16.87, 527.9767), 1);
        CupedStats b = new CupedStats(SampleStats.of(3461, 2422.7, 134698.29), SampleStats.of(3461, 22.7, 1348.29), 1);
        double theta = CupedAdjustment.theta(List.of(a, b));
        Effect e = EffectEstimator.estimate(CupedAdjustment.adjust(a, theta, MetricType.MEAN),
                CupedAdjustment.adjust(b, theta, MetricType.MEAN), true);
        Inference r = ConfidenceSequence.test(e, Sides.TWO, 0.05, SequentialConfig.DEFAULT);
        assertRounded5(e.estimate(), 0.50338);
        assertRounded5(e.se(), 0.33341);
        assertRounded5(r.ciLower(), -0.50969);
        assertRounded5(r.ciUpper(), 1.51646);
    }

    /**
     * gbstats tests/test_gbstats.py {@code test_analyze_metric_df_ra} (RA_STATISTICS_DF, count metric
     * with a count covariate, frequentist two-sided, relative): expected −0.281707154, p-value
     * 0.003732549, at 9 decimals. Control is "zero" (3001 users), treatment "one" (3000). The
     * p-value needs the relative CUPED variance with the control's covariance term
     * ({@code frequentist_variance_relative_cuped}); the plain delta method on the adjusted
     * variances gives 0.003736297.
     */
    @Test
    void matchesGbstatsRegressionAdjustedRelativeLift() {
        CupedStats zero = new CupedStats(SampleStats.of(3001, 300, 600), SampleStats.of(3001, 210, 415), -20);
        CupedStats one = new CupedStats(SampleStats.of(3000, 222, 555), SampleStats.of(3000, 120, 405), -10);
        double theta = CupedAdjustment.theta(List.of(zero, one));
        ArmMoments control = CupedAdjustment.adjust(zero, theta, MetricType.MEAN);
        ArmMoments treatment = CupedAdjustment.adjust(one, theta, MetricType.MEAN);
        assertThat(round9(control.unadjustedMean())).isEqualTo(0.099966678);
        assertThat(round9(treatment.unadjustedMean())).isEqualTo(0.074);
        Effect e = EffectEstimator.estimate(control, treatment, true);
        Inference r = WelchTTest.test(e, Sides.TWO, 0.05);
        assertThat(round9(e.estimate())).isEqualTo(-0.281707154);
        assertThat(round9(r.pValue())).isEqualTo(0.003732549);
    }

    /**
     * The relative CUPED variance against the empirical variance of the estimate over seeded
     * replications, at −80 % and +100 % lift (the issue measured 0.55 and 1.61 with the plain delta
     * method). y = x + e in control, y = (1 + L)·x + e in treatment, x ~ N(3, 2²), e ~ N(0, 1): the
     * treatment changes the mean by L and the slope, so θ differs from each arm's own slope.
     */
    @Test
    void relativeVarianceMatchesTheEmpiricalVarianceAtLargeLifts() {
        // 2,000 replications: the ratio's Monte-Carlo sd is about √(2/2000) ≈ 0.032. The plain delta
        // method gives 0.78 and 1.43 here (analytically: 2.19/2.8 and 10/7).
        assertThat(varianceRatio(-0.8, 11)).isBetween(0.9, 1.1);
        assertThat(varianceRatio(1.0, 12)).isBetween(0.9, 1.1);
    }

    private static double varianceRatio(double lift, long seed) {
        java.util.Random r = new java.util.Random(seed);
        int reps = 2000;
        int n = 300;
        double sumEstimate = 0;
        double sumSquares = 0;
        double sumVariance = 0;
        for (int k = 0; k < reps; k++) {
            double[] a = new double[5];
            double[] b = new double[5];
            for (int i = 0; i < n; i++) {
                double x = 3 + 2 * r.nextGaussian();
                add(a, x + r.nextGaussian(), x);
                double x2 = 3 + 2 * r.nextGaussian();
                add(b, (1 + lift) * x2 + r.nextGaussian(), x2);
            }
            CupedStats ca = stats(a, n);
            CupedStats cb = stats(b, n);
            double theta = CupedAdjustment.theta(List.of(ca, cb));
            Effect e = EffectEstimator.estimate(CupedAdjustment.adjust(ca, theta, MetricType.MEAN),
                    CupedAdjustment.adjust(cb, theta, MetricType.MEAN), true);
            sumEstimate += e.estimate();
            sumSquares += e.estimate() * e.estimate();
            sumVariance += e.variance();
        }
        double mean = sumEstimate / reps;
        double empirical = (sumSquares - reps * mean * mean) / (reps - 1);
        return sumVariance / reps / empirical;
    }

    /** Σy, Σy², Σx, Σx², Σxy in {@code s}. */
    private static void add(double[] s, double y, double x) {
        s[0] += y;
        s[1] += y * y;
        s[2] += x;
        s[3] += x * x;
        s[4] += x * y;
    }

    private static CupedStats stats(double[] s, int n) {
        return new CupedStats(SampleStats.of(n, s[0], s[1]), SampleStats.of(n, s[2], s[3]), s[4]);
    }

    private static double round9(double v) {
        return Math.round(v * 1e9) / 1e9;
    }

    @Test
    void thetaZeroFallsBackToTheUnadjustedEstimate() {
        CupedStats a = new CupedStats(SampleStats.of(100, 50, 80), SampleStats.of(100, 300, 900), 150);
        ArmMoments adjusted = CupedAdjustment.adjust(a, 0.0, MetricType.MEAN);
        assertThat(adjusted).isEqualTo(ArmMoments.of(a.post(), MetricType.MEAN));
        // A constant covariate has no variance: θ = 0.
        CupedStats flat = new CupedStats(SampleStats.of(100, 50, 80), SampleStats.of(100, 300, 900), 150);
        assertThat(CupedAdjustment.theta(List.of(flat, flat))).isEqualTo(0.0);
    }

    @Test
    void reducesVarianceByRhoSquaredWithACorrelatedCovariate() {
        // y = x + noise with Var x = 4, Var noise = 1: ρ² = 0.8, θ → 1, adjusted variance → 1.
        SplittableRandom r = new SplittableRandom(5);
        CupedStats a = CupedStats.EMPTY;
        CupedStats b = CupedStats.EMPTY;
        for (int i = 0; i < 20_000; i++) {
            double x = 2 * gauss(r);
            a = a.add(x + gauss(r), x);
            double x2 = 2 * gauss(r);
            b = b.add(x2 + gauss(r) + 0.05, x2);
        }
        double theta = CupedAdjustment.theta(List.of(a, b));
        assertThat(theta).isCloseTo(1.0, within(0.02));
        ArmMoments adjusted = CupedAdjustment.adjust(a, theta, MetricType.MEAN);
        assertThat(adjusted.variance()).isCloseTo(1.0, within(0.05));
        assertThat(a.post().variance(MetricType.MEAN)).isCloseTo(5.0, within(0.2));
    }

    @Test
    void statisticsMergeByAddition() {
        CupedStats one = CupedStats.EMPTY.add(1, 2).add(3, 5);
        CupedStats two = CupedStats.EMPTY.add(4, 4);
        CupedStats all = CupedStats.EMPTY.add(1, 2).add(3, 5).add(4, 4);
        assertThat(one.merge(two)).isEqualTo(all);
        assertThat(all.sumProduct()).isEqualTo(1 * 2 + 3 * 5 + 4 * 4);
    }

    private static double gauss(SplittableRandom r) {
        return io.liftstream.experiments.stats.Distributions.normalQuantile(r.nextDouble());
    }
}
