package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The quadrature of the Thompson probabilities against exact values: the closed form for two Beta arms
 * (Cook 2005, {@link PosteriorsTest#probabilityBBeatsA}), symmetry, and Monte Carlo for Student-t arms.
 */
class ThompsonProbabilitiesTest {

    @ParameterizedTest(name = "{0}/{1} vs {2}/{3}")
    @CsvSource({
            "200, 20, 180, 24",       // q ≈ 0.84
            "2000, 200, 2000, 240",   // q ≈ 0.978
            "5000, 500, 5000, 600",   // q ≈ 0.9993: the dominated arm's q ≈ 7e-4
            "10, 1, 3, 2",            // few observations, skewed Betas
            "0, 0, 50, 1",            // the uniform prior against a peaked arm near 0
            "100000, 3000, 100000, 3100"})
    void twoBetaArmsMatchTheClosedForm(long n0, long s0, long n1, long s1) {
        BetaBernoulliPosteriors p = BetaBernoulliPosteriors.of(new ConversionStats(n0, s0), new ConversionStats(n1, s1));
        double exact = PosteriorsTest.probabilityBBeatsA(p.alpha(0), p.beta(0), p.alpha(1), p.beta(1));
        double[] q = ThompsonProbabilities.compute(p);
        assertThat(q[1]).isCloseTo(exact, within(2e-5));
        // Relative accuracy of the smaller probability, which inverse-propensity weights divide by.
        double small = Math.min(exact, 1 - exact);
        assertThat(Math.min(q[0], q[1])).isCloseTo(small, within(0.01 * small));
        assertThat(q[0] + q[1]).isCloseTo(1, within(1e-12));
    }

    @Test
    void equalArmsShareEqually() {
        ConversionStats s = new ConversionStats(1000, 50);
        double[] q = ThompsonProbabilities.compute(BetaBernoulliPosteriors.of(s, s, s, s, s));
        assertThat(q).containsOnly(q[0]);
        assertThat(q[0]).isCloseTo(0.2, within(1e-12));
        double[] one = ThompsonProbabilities.compute(BetaBernoulliPosteriors.of(s));
        assertThat(one).containsExactly(1.0);
    }

    @Test
    void studentTArmsMatchMonteCarlo() {
        // Heavy tails: an arm with 2 rewards (t with 2α = 4 degrees of freedom, wide) among tight ones.
        NormalGammaPosteriors p = NormalGammaPosteriors.of(
                TopTwoPropensityTest.revenue(400, 20, 15, 1), TopTwoPropensityTest.revenue(500, 21.5, 15, 2),
                TopTwoPropensityTest.revenue(2, 21, 18, 3), ValueStats.EMPTY);
        double[] q = ThompsonProbabilities.compute(p);
        int draws = 2_000_000;
        double[] mc = ThompsonProbabilities.monteCarlo(p, draws, 99);
        for (int i = 0; i < q.length; i++) {
            double se = Math.sqrt(q[i] * (1 - q[i]) / draws);
            assertThat(mc[i]).as("arm %d", i).isCloseTo(q[i], within(4 * se + 1e-6));
        }
        assertThat(q[0] + q[1] + q[2] + q[3]).isCloseTo(1, within(1e-12));
        assertThat(q[3]).isGreaterThan(0.3); // the untried arm draws from a wide prior: explored
    }

    @Test
    void nodesAreSortedDistinctAndInsideTheSupport() {
        BetaBernoulliPosteriors p = BetaBernoulliPosteriors.of(new ConversionStats(100, 0), new ConversionStats(100, 100));
        double[] x = ThompsonProbabilities.nodes(p);
        assertThat(x[0]).isZero();
        assertThat(x[x.length - 1]).isEqualTo(1);
        for (int i = 1; i < x.length; i++) {
            assertThat(x[i]).isGreaterThan(x[i - 1]);
        }
        double[] q = p.thompsonProbabilities();
        assertThat(q[1]).isCloseTo(1, within(1e-12));
    }
}
