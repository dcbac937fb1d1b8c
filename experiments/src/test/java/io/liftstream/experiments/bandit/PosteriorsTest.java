package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

class PosteriorsTest {

    @Test
    void statisticsMergeByAddition() {
        ConversionStats a = ConversionStats.EMPTY.add(true).add(false).add(true);
        ConversionStats b = ConversionStats.EMPTY.add(false).add(true);
        assertThat(a.plus(b)).isEqualTo(new ConversionStats(5, 3));

        ValueStats whole = ValueStats.EMPTY;
        ValueStats left = ValueStats.EMPTY;
        ValueStats right = ValueStats.EMPTY;
        double[] xs = {12.5, 0, 0, 80.25, 33, 0, 19.99};
        for (int i = 0; i < xs.length; i++) {
            whole = whole.add(xs[i]);
            if (i < 3) {
                left = left.add(xs[i]);
            } else {
                right = right.add(xs[i]);
            }
        }
        ValueStats merged = left.plus(right);
        assertThat(merged.n()).isEqualTo(whole.n());
        assertThat(merged.sum()).isCloseTo(whole.sum(), within(1e-12));
        assertThat(merged.sumSquares()).isCloseTo(whole.sumSquares(), within(1e-9));
    }

    @Test
    void betaBernoulliPosteriorIsPriorPlusCounts() {
        BetaBernoulliPosteriors p = BetaBernoulliPosteriors.of(new BetaPrior(2, 3), new ConversionStats(100, 7),
                ConversionStats.EMPTY);
        assertThat(p.alpha(0)).isEqualTo(9);
        assertThat(p.beta(0)).isEqualTo(96);
        assertThat(p.alpha(1)).isEqualTo(2);
        assertThat(p.beta(1)).isEqualTo(3);
        assertThat(p.empiricalMean(0)).isEqualTo(0.07);
        assertThat(p.observations(0)).isEqualTo(100);
    }

    @Test
    void normalGammaPosteriorFollowsTheConjugateUpdate() {
        // Hand computation of Murphy (2007) eqs. 86–89 for x = 1, 2, 3, 6 and prior NG(1, 2, 3, 4):
        // n = 4, x̄ = 3, S = 4 + 1 + 0 + 9 = 14; κ = 6, μ = (2 + 12)/6 = 7/3, α = 5,
        // β = 4 + 7 + 2·4·(3 − 1)²/(2·6) = 11 + 32/12.
        ValueStats s = ValueStats.EMPTY.add(1).add(2).add(3).add(6);
        NormalGammaPosteriors p = NormalGammaPosteriors.of(new NormalGammaPrior(1, 2, 3, 4), s);
        assertThat(p.kappa(0)).isEqualTo(6);
        assertThat(p.mu(0)).isCloseTo(7.0 / 3, within(1e-12));
        assertThat(p.alpha(0)).isEqualTo(5);
        assertThat(p.beta(0)).isCloseTo(11 + 32.0 / 12, within(1e-12));
    }

    @Test
    void normalGammaDrawsOfTheMeanAreStudentT() {
        // Marginal posterior of μ: Student-t, 2αₙ degrees of freedom, location μₙ, scale √(βₙ/(αₙκₙ)).
        ValueStats s = ValueStats.EMPTY;
        SplittableRandom data = new SplittableRandom(5);
        for (int i = 0; i < 12; i++) {
            s = s.add(50 + 20 * data.nextGaussian());
        }
        NormalGammaPosteriors p = NormalGammaPosteriors.of(s);
        SplittableRandom rng = new SplittableRandom(6);
        double[] z = new double[20_000];
        for (int i = 0; i < z.length; i++) {
            z[i] = (p.sample(0, rng) - p.mu(0)) / p.meanScale(0);
        }
        double pValue = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new TDistribution(2 * p.alpha(0)), z);
        assertThat(pValue).isGreaterThan(0.001);
        assertThat(p.mu(0)).isCloseTo(s.mean(), within(0.01 * Math.abs(s.mean())));
    }

    @Test
    void thompsonProbabilityOfTwoArmsMatchesTheClosedForm() {
        ConversionStats a = new ConversionStats(200, 20);
        ConversionStats b = new ConversionStats(180, 24);
        BetaBernoulliPosteriors p = BetaBernoulliPosteriors.of(a, b);
        double exact = probabilityBBeatsA(p.alpha(0), p.beta(0), p.alpha(1), p.beta(1));
        assertThat(p.thompsonProbability(1)).isCloseTo(exact, within(2e-5)); // quadrature, ThompsonProbabilitiesTest
        assertThat(p.thompsonProbability(0) + p.thompsonProbability(1)).isCloseTo(1, within(1e-12));
        // Memoised and reproducible: an equal snapshot gives the identical estimate.
        assertThat(BetaBernoulliPosteriors.of(a, b).thompsonProbabilities()).isEqualTo(p.thompsonProbabilities());
    }

    /**
     * P(p_B &gt; p_A) for p_A ~ Beta(αA, βA), p_B ~ Beta(αB, βB), αB an integer: the closed form
     * Σ_{i=0}^{αB−1} B(αA + i, βA + βB) / ((βB + i) · B(1 + i, βB) · B(αA, βA)) (Cook, "Exact calculation
     * of beta inequalities", 2005; E. Miller, "Formulas for Bayesian A/B testing", 2015).
     */
    static double probabilityBBeatsA(double alphaA, double betaA, double alphaB, double betaB) {
        double total = 0;
        for (int i = 0; i < (int) alphaB; i++) {
            total += Math.exp(Beta.logBeta(alphaA + i, betaA + betaB) - Math.log(betaB + i)
                    - Beta.logBeta(1 + i, betaB) - Beta.logBeta(alphaA, betaA));
        }
        return total;
    }
}
