package io.liftstream.experiments.stats.bayesian;

import static io.liftstream.experiments.stats.Golden.assertRounded5;
import static io.liftstream.experiments.stats.Golden.effect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * Golden values from gbstats packages/stats/tests/bayesian/test_tests.py (TestBinom,
 * TestNorm for {@code GaussianEffectABTest}, relative lift, flat prior), 5 decimals.
 */
class GaussianEffectPosteriorTest {

    @Test
    void proportionsFlatPrior() {
        Effect e = effect(SampleStats.of(100, 49, 49), SampleStats.of(100, 51, 51), MetricType.PROPORTION, true);
        GaussianEffectPosterior.Posterior p = GaussianEffectPosterior.posterior(e, EffectPrior.FLAT, 0.05);
        assertRounded5(p.mean(), 0.04082);
        assertRounded5(p.sd(), 0.14725);
        assertRounded5(p.ciLower(), -0.24779);
        assertRounded5(p.ciUpper(), 0.32943);
        assertRounded5(p.chanceToWin(), 0.60918);
        assertRounded5(p.riskControl(), 0.0814);
        assertRounded5(p.riskTreatment(), 0.04058);
    }

    @Test
    void meansFlatPrior() {
        Effect e = effect(SampleStats.of(10, 100, 1002.25), SampleStats.of(10, 105, 1111.5), MetricType.MEAN, true);
        GaussianEffectPosterior.Posterior p = GaussianEffectPosterior.posterior(e, EffectPrior.FLAT, 0.05);
        assertRounded5(p.mean(), 0.05);
        assertRounded5(p.sd(), 0.03572);
        assertRounded5(p.ciLower(), -0.02);
        assertRounded5(p.ciUpper(), 0.12);
        assertRounded5(p.chanceToWin(), 0.91923);
        assertRounded5(p.riskControl(), 0.05131);
        assertRounded5(p.riskTreatment(), 0.00131);
    }

    /**
     * gbstats TestNorm {@code test_bayesian_gaussian_ab_test_informative}: proper prior N(0.1, 0.1)
     * on the relative lift.
     */
    @Test
    void meansInformativePrior() {
        Effect e = effect(SampleStats.of(10, 100, 1002.25), SampleStats.of(10, 105, 1111.5), MetricType.MEAN, true);
        GaussianEffectPosterior.Posterior p = GaussianEffectPosterior.posterior(e, new EffectPrior(0.1, 0.1, true), 0.05);
        assertRounded5(p.mean(), 0.05063);
        assertRounded5(p.sd(), 0.03549);
        assertRounded5(p.ciLower(), -0.01893);
        assertRounded5(p.ciUpper(), 0.12019);
        assertRounded5(p.chanceToWin(), 0.92315);
        assertRounded5(p.riskControl(), 0.05186);
        assertRounded5(p.riskTreatment(), 0.00123);
    }

    @Test
    void properPriorIsTheConjugateNormal() {
        Effect e = effect(SampleStats.of(10, 100, 1002.25), SampleStats.of(10, 105, 1111.5), MetricType.MEAN, true);
        EffectPrior prior = new EffectPrior(0.0, 0.0009, true); // sd 3%: as informative as the data
        GaussianEffectPosterior.Posterior p = GaussianEffectPosterior.posterior(e, prior, 0.05);
        double v = e.variance();
        double expectedVar = 1 / (1 / v + 1 / 0.0009);
        assertThat(p.sd() * p.sd()).isCloseTo(expectedVar, within(1e-15));
        assertThat(p.mean()).isCloseTo(expectedVar * (e.estimate() / v), within(1e-15));
        assertThat(p.mean()).isLessThan(e.estimate()).isPositive(); // shrunk toward 0
        // A very wide proper prior is the flat prior.
        GaussianEffectPosterior.Posterior wide = GaussianEffectPosterior.posterior(e, new EffectPrior(0, 1e12, true), 0.05);
        assertRounded5(wide.chanceToWin(), 0.91923);
    }

    @Test
    void riskIsTheExpectedLossBySimulation() {
        double m = 0.02;
        double s = 0.05;
        SplittableRandom r = new SplittableRandom(20240329);
        double pos = 0;
        int draws = 2_000_000;
        for (int i = 0; i < draws; i++) {
            double x = m + s * Distributions.normalQuantile(r.nextDouble());
            pos += Math.max(x, 0);
        }
        assertThat(GaussianEffectPosterior.expectedPositivePart(m, s)).isCloseTo(pos / draws, within(1e-4));
        // Risks on both sides differ by the mean: E max(X,0) − E max(−X,0) = E X.
        assertThat(GaussianEffectPosterior.expectedPositivePart(m, s) - GaussianEffectPosterior.expectedPositivePart(-m, s))
                .isCloseTo(m, within(1e-15));
    }
}
