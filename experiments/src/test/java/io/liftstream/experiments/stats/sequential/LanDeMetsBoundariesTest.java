package io.liftstream.experiments.stats.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.Distributions;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * Lan–DeMets O'Brien–Fleming-type boundaries, two-sided α = 0.05, equally spaced looks, to the 3
 * decimals they are printed with. Five looks: the published 4.877, 3.357, 2.680, 2.290, 2.031
 * (DeMets &amp; Lan 1994, "Interim analysis: the alpha spending function approach", Stat. Med. 13;
 * R ldbounds / gsDesign {@code sfLDOF}). Two to four looks: the values those packages print (quoted
 * from memory of their output, not from a primary table; independently, scipy's multivariate
 * normal gives a total crossing probability of 0.05000 for the 3- and 4-look boundaries).
 */
class LanDeMetsBoundariesTest {

    private static double[] equallySpaced(int k) {
        double[] t = new double[k];
        for (int i = 0; i < k; i++) {
            t[i] = (i + 1.0) / k;
        }
        return t;
    }

    private static void assertPublished(int looks, double... expected) {
        double[] c = LanDeMetsBoundaries.boundaries(equallySpaced(looks), 0.05, true);
        assertThat(c).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(c[i]).as("look %d of %d", i + 1, looks).isCloseTo(expected[i], within(0.0005));
        }
    }

    /**
     * Looks so early that they spend nothing (boundary +∞) leave Z unconstrained, so the first look
     * that spends has the single-look boundary Φ⁻¹(1 − f(t)). Regression: the tail function used to
     * lose accuracy between 2.5 and 5, which put the third boundary of the second case at 13.35
     * instead of 4.47.
     */
    @Test
    void looksThatSpendNothingLeaveTheNextBoundaryAtTheSingleLookValue() {
        double[][] cases = {
            {3027 / 120000.0, 6742 / 120000.0, 23975 / 120000.0},
            {4992 / 120000.0, 7095 / 120000.0, 28283 / 120000.0, 34153 / 120000.0},
        };
        for (double[] fractions : cases) {
            double[] c = LanDeMetsBoundaries.boundaries(fractions, 0.05, true);
            assertThat(c[0]).isInfinite();
            assertThat(c[1]).isInfinite();
            double single = Distributions.normalQuantile(1 - LanDeMetsBoundaries.spent(fractions[2], 0.025));
            assertThat(c[2]).as("third boundary").isCloseTo(single, within(1e-4));
        }
    }

    @Test
    void twoLooks() {
        assertPublished(2, 2.963, 1.969);
    }

    @Test
    void threeLooks() {
        assertPublished(3, 3.710, 2.511, 1.993);
    }

    @Test
    void fourLooks() {
        assertPublished(4, 4.333, 2.963, 2.359, 2.014);
    }

    @Test
    void fiveLooks() {
        assertPublished(5, 4.877, 3.357, 2.680, 2.290, 2.031);
    }

    @Test
    void aSingleLookAtTheEndIsTheFixedHorizonTest() {
        assertThat(LanDeMetsBoundaries.boundaries(new double[] {1.0}, 0.05, true)[0])
                .isCloseTo(Distributions.normalQuantile(0.975), within(1e-9));
        assertThat(LanDeMetsBoundaries.boundaries(new double[] {1.0}, 0.05, false)[0])
                .isCloseTo(Distributions.normalQuantile(0.95), within(1e-9));
    }

    @Test
    void firstBoundaryIsTheClosedForm() {
        // At the first look no earlier crossing is possible: P(|Z| ≥ c₁) = 2·(f(t₁) − 0).
        double t = 0.3;
        double c = LanDeMetsBoundaries.boundaries(new double[] {t, 1.0}, 0.05, true)[0];
        assertThat(2 * Distributions.normalSf(c)).isCloseTo(2 * LanDeMetsBoundaries.spent(t, 0.025), within(1e-15));
    }

    @Test
    void unequalLooksSpendExactlyAlphaBySimulation() {
        // Looks actually taken at 10%, 35%, 36%, 80% and 100% of the plan: the probability of ever
        // crossing under the null must be α = 0.05. Seeded Monte Carlo with 200,000 Brownian paths:
        // SE = √(0.05·0.95/200000) ≈ 0.00049.
        double[] t = {0.10, 0.35, 0.36, 0.80, 1.0};
        double[] c = LanDeMetsBoundaries.boundaries(t, 0.05, true);
        SplittableRandom random = new SplittableRandom(7);
        int paths = 200_000;
        int crossed = 0;
        for (int p = 0; p < paths; p++) {
            double s = 0;
            double prev = 0;
            for (int k = 0; k < t.length; k++) {
                s += gaussian(random) * Math.sqrt(t[k] - prev);
                prev = t[k];
                if (Math.abs(s / Math.sqrt(t[k])) >= c[k]) {
                    crossed++;
                    break;
                }
            }
        }
        assertThat((double) crossed / paths).isCloseTo(0.05, within(0.0015));
    }

    @Test
    void oneSidedSpendsAlphaOnOneSide() {
        // One-sided α = 0.025 gives the upper half of the two-sided α = 0.05 design (symmetric,
        // and the lower crossings are negligible at these bounds).
        double[] one = LanDeMetsBoundaries.boundaries(equallySpaced(5), 0.025, false);
        double[] two = LanDeMetsBoundaries.boundaries(equallySpaced(5), 0.05, true);
        for (int i = 0; i < 5; i++) {
            assertThat(one[i]).isCloseTo(two[i], within(0.002));
        }
    }

    @Test
    void looksBeyondThePlannedMaximumSpendNothingMore() {
        double[] c = LanDeMetsBoundaries.boundaries(new double[] {0.5, 1.0, 1.2}, 0.05, true);
        assertThat(c[2]).isInfinite();
    }

    private static double gaussian(SplittableRandom r) {
        return Distributions.normalQuantile(r.nextDouble());
    }
}
