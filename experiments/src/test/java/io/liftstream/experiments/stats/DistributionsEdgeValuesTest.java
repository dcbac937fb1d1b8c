package io.liftstream.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** The distribution functions at their special points and limits, against closed forms. */
class DistributionsEdgeValuesTest {

    @Test
    void normalDensityAndSymmetry() {
        assertThat(Distributions.normalPdf(0)).isCloseTo(1 / Math.sqrt(2 * Math.PI), within(1e-16));
        assertThat(Distributions.normalPdf(2)).isCloseTo(Math.exp(-2) / Math.sqrt(2 * Math.PI), within(1e-16));
        assertThat(Distributions.normalPdf(-2)).isEqualTo(Distributions.normalPdf(2));
        assertThat(Distributions.normalCdf(0)).isEqualTo(0.5);
        assertThat(Distributions.normalSf(0)).isEqualTo(0.5);
        assertThat(Distributions.normalSf(Double.NaN)).isNaN();
        assertThat(Distributions.normalSf(40)).isZero();
        assertThat(Distributions.normalSf(-40)).isEqualTo(1.0);
        assertThat(Distributions.normalCdf(1.959963984540054)).isCloseTo(0.975, within(1e-15));
        // At the branch points (0.674…, √32, 38.5) against erfc.
        for (double x : new double[] {0.67448975, 0.6744898, Math.sqrt(32), 5.6568543, 38.49, -0.67448975, -5.66}) {
            double expected = 0.5 * org.apache.commons.math3.special.Erf.erfc(x / Math.sqrt(2));
            assertThat(Distributions.normalSf(x)).as("x = %s", x).isCloseTo(expected, within(Math.max(1e-300, expected * 1e-13)));
        }
    }

    @Test
    void normalQuantileLimitsAndTails() {
        assertThat(Distributions.normalQuantile(0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Distributions.normalQuantile(-0.5)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Distributions.normalQuantile(1)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Distributions.normalQuantile(1.5)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Distributions.normalQuantile(0.5)).isCloseTo(0, within(1e-16));
        // At Acklam's region boundary p_low = 0.02425 (Python statistics.NormalDist().inv_cdf: −1.9729610513118845).
        assertThat(Distributions.normalQuantile(0.02425)).isCloseTo(-1.9729610513118845, within(1e-14));
        assertThat(Distributions.normalQuantile(1 - 0.02425)).isCloseTo(1.9729610513118847, within(1e-14));
        assertThat(Distributions.normalQuantile(0.999)).isCloseTo(3.090232306167813, within(1e-13));
        assertThat(Distributions.normalQuantile(0.001)).isCloseTo(-3.090232306167813, within(1e-13));
    }

    @Test
    void studentAtItsSpecialPoints() {
        // Cauchy (df 1): P(T > 1) = 1/4, density 1/π at 0 and 1/(2π) at 1.
        assertThat(Distributions.studentSf(1, 1)).isCloseTo(0.25, within(1e-15));
        assertThat(Distributions.studentSf(-1, 1)).isCloseTo(0.75, within(1e-15));
        assertThat(Distributions.studentSf(0, 7)).isEqualTo(0.5);
        assertThat(Distributions.studentPdf(0, 1)).isCloseTo(1 / Math.PI, within(1e-15));
        assertThat(Distributions.studentPdf(1, 1)).isCloseTo(1 / (2 * Math.PI), within(1e-15));
        assertThat(Distributions.studentPdf(1.3, 12.5)).isCloseTo(new TDistribution(null, 12.5).density(1.3), within(1e-14));
        assertThat(Distributions.studentSf(2, Double.POSITIVE_INFINITY)).isEqualTo(Distributions.normalSf(2));
        assertThat(Distributions.studentQuantile(0.75, 1)).isCloseTo(1.0, within(1e-12));
        assertThat(Distributions.studentQuantile(0.25, 1)).isCloseTo(-1.0, within(1e-12));
        assertThat(Distributions.studentQuantile(0.5, 3)).isZero();
        assertThat(Distributions.studentQuantile(0, 3)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Distributions.studentQuantile(1, 3)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Distributions.studentQuantile(0.975, 2e7)).isEqualTo(Distributions.normalQuantile(0.975));
        assertThat(Distributions.studentQuantile(0.975, 5e6)).isCloseTo(1.959963984540054, within(1e-6))
                .isGreaterThan(1.959963984540054);
        // df 2 has a closed form: t_p = (2p − 1)/√(2p(1 − p)).
        double p = 0.99;
        assertThat(Distributions.studentQuantile(p, 2)).isCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), within(1e-10));
        // Small df far in the tail, where Cornish–Fisher overshoots: Newton with bisection still converges.
        double far = 1 - 1e-10;
        assertThat(Distributions.studentQuantile(far, 1)).isCloseTo(1 / Math.tan(Math.PI * (1 - far)),
                org.assertj.core.api.Assertions.withinPercentage(1e-7));
        assertThat(Distributions.studentCdf(Distributions.studentQuantile(0.9999, 1.5), 1.5)).isCloseTo(0.9999, within(1e-12));
    }

    @Test
    void chiSquareTail() {
        assertThat(Distributions.chiSquareSf(0, 3)).isEqualTo(1.0);
        assertThat(Distributions.chiSquareSf(-1, 3)).isEqualTo(1.0);
        assertThat(Distributions.chiSquareSf(2, 2)).isCloseTo(Math.exp(-1), within(1e-15));
        assertThat(Distributions.chiSquareSf(3.841458820694124, 1)).isCloseTo(0.05, within(1e-14));
    }
}
