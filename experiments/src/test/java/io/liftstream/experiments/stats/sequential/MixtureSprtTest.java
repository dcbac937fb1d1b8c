package io.liftstream.experiments.stats.sequential;

import static io.liftstream.experiments.stats.Golden.effect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.Inference;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.experiments.stats.Sides;

import org.junit.jupiter.api.Test;

class MixtureSprtTest {

    @Test
    void closedFormEqualsTheMixtureIntegral() {
        // Λ = ∫ N(Δ̂; θ, V) N(θ; 0, τ²) dθ / N(Δ̂; 0, V), integrated numerically.
        double est = 0.031;
        double v = 0.0002;
        double tau2 = 0.0025;
        double num = 0;
        double step = 1e-5;
        for (double th = -0.5; th <= 0.5; th += step) {
            num += dnorm(est, th, v) * dnorm(th, 0, tau2) * step;
        }
        double lr = num / dnorm(est, 0, v);
        assertThat(MixtureSprt.logLikelihoodRatio(est, v, tau2, 0)).isCloseTo(Math.log(lr), within(1e-6));
    }

    @Test
    void intervalEndsAreWhereTheLikelihoodRatioReachesOneOverAlpha() {
        double est = 0.02;
        double v = 0.0001;
        double tau2 = 0.0025;
        double hw = MixtureSprt.halfWidth(v, tau2, 0.05);
        assertThat(MixtureSprt.logLikelihoodRatio(est, v, tau2, est + hw)).isCloseTo(Math.log(20), within(1e-10));
        assertThat(MixtureSprt.logLikelihoodRatio(est, v, tau2, est - hw)).isCloseTo(Math.log(20), within(1e-10));
    }

    @Test
    void pValueIsTheRunningMinimum() {
        Effect strong = effect(SampleStats.of(5000, 500, 500), SampleStats.of(5000, 700, 700), MetricType.PROPORTION, true);
        Effect none = effect(SampleStats.of(5000, 500, 500), SampleStats.of(5000, 500, 500), MetricType.PROPORTION, true);
        Inference first = MixtureSprt.test(strong, Sides.TWO, 0.05, 0.0025, 1.0);
        assertThat(first.pValue()).isLessThan(0.05);
        assertThat(first.significant()).isTrue();
        Inference later = MixtureSprt.test(none, Sides.TWO, 0.05, 0.0025, first.pValue());
        assertThat(later.pValue()).isEqualTo(first.pValue());
        assertThat(MixtureSprt.test(none, Sides.TWO, 0.05, 0.0025, 1.0).pValue()).isEqualTo(1.0);
    }

    @Test
    void oneSidedIgnoresEvidenceInTheOtherDirection() {
        Effect down = effect(SampleStats.of(5000, 700, 700), SampleStats.of(5000, 500, 500), MetricType.PROPORTION, true);
        Inference greater = MixtureSprt.test(down, Sides.GREATER, 0.05, 0.0025, 1.0);
        assertThat(greater.pValue()).isEqualTo(1.0);
        assertThat(greater.ciUpper()).isInfinite();
        assertThat(MixtureSprt.test(down, Sides.LESSER, 0.05, 0.0025, 1.0).pValue()).isLessThan(0.05);
    }

    @Test
    void extremeEvidenceGivesZeroNotNaN() {
        Effect e = effect(SampleStats.of(10_000_000, 1_000_000, 1_000_000),
                SampleStats.of(10_000_000, 3_000_000, 3_000_000), MetricType.PROPORTION, true);
        Inference r = MixtureSprt.test(e, Sides.TWO, 0.05, 0.0025, 1.0);
        assertThat(r.pValue()).isEqualTo(0.0);
        assertThat(r.ciLower()).isFinite();
    }

    private static double dnorm(double x, double mean, double var) {
        return Distributions.normalPdf((x - mean) / Math.sqrt(var)) / Math.sqrt(var);
    }
}
