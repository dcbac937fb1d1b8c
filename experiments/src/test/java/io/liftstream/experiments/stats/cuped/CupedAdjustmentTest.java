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
