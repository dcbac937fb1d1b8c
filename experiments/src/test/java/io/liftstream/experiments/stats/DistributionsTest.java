package io.liftstream.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** The static functions against commons-math3's distribution classes (and textbook quantiles). */
class DistributionsTest {

    @Test
    void normalQuantilesFromTables() {
        assertThat(Distributions.normalQuantile(0.975)).isCloseTo(1.959963984540054, within(1e-14));
        assertThat(Distributions.normalQuantile(0.95)).isCloseTo(1.6448536269514722, within(1e-14));
        assertThat(Distributions.normalQuantile(1e-300)).isCloseTo(-37.0471, within(1e-3));
        assertThat(Distributions.normalSf(37)).isCloseTo(5.725571e-300, within(1e-305)); // 1 − Φ rounds to 0 at z ≈ 8.3
        for (double p : new double[] {1e-300, 1e-20, 1e-5, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-12}) {
            double x = Distributions.normalQuantile(p);
            double back = x < 0 ? Distributions.normalCdf(x) : 1 - Distributions.normalSf(x);
            assertThat(back).as("Φ(Φ⁻¹(%s))", p).isCloseTo(p, within(Math.max(1e-16, p * 1e-13)));
        }
    }

    @Test
    void normalTailMatchesCommonsMathErfc() {
        // Far in the tail commons-math3 itself is off by ~2e-13 relative (mpmath at x = 32.0455:
        // 1.26813087652000e-225; this: 1.26813087651995e-225; commons: 1.26813087652025e-225).
        for (double x = -12; x <= 37; x += 0.0137) {
            double expected = 0.5 * org.apache.commons.math3.special.Erf.erfc(x / Math.sqrt(2));
            assertThat(Distributions.normalSf(x)).as("x = %s", x).isCloseTo(expected, within(Math.max(1e-300, expected * 5e-13)));
        }
    }

    @Test
    void studentMatchesCommonsMath() {
        for (double df : new double[] {1.0, 2.5, 7.3, 55.2, 6460.9}) {
            TDistribution t = new TDistribution(null, df, 1e-14);
            for (double p : new double[] {0.6, 0.9, 0.95, 0.975, 0.999}) {
                assertThat(Distributions.studentQuantile(p, df)).as("df %s p %s", df, p)
                        .isCloseTo(t.inverseCumulativeProbability(p), within(1e-8));
            }
            for (double x : new double[] {-3, -0.5, 0, 1.2, 4}) {
                assertThat(Distributions.studentCdf(x, df)).isCloseTo(t.cumulativeProbability(x), within(1e-13));
            }
        }
        assertThat(Distributions.studentQuantile(0.975, 10)).isCloseTo(2.228138851986274, within(1e-12));
    }

    @Test
    void chiSquareMatchesCommonsMath() {
        ChiSquaredDistribution c = new ChiSquaredDistribution(null, 3, 1e-14);
        assertThat(Distributions.chiSquareSf(7.5, 3)).isCloseTo(1 - c.cumulativeProbability(7.5), within(1e-14));
    }
}
