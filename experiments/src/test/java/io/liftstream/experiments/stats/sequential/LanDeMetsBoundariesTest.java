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

    @org.junit.jupiter.api.BeforeEach
    void emptyTheCache() {
        FreshBoundaries.clearCache();
    }

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

    /**
     * Many equal looks (the results job looks once an hour: 672 over 28 days). Reference: with a
     * look every Δ = 1/K, the discretely monitored boundary on the score scale is the continuous one
     * lowered by ρ√Δ, ρ = −ζ(1/2)/√(2π) ≈ 0.5826 (Siegmund 1979, "Corrected diffusion approximations
     * in certain random walk problems", Adv. Appl. Prob. 11, 701–719; Siegmund 1985, "Sequential
     * Analysis", eq. 10.37), and the OBF-type spending function is exactly the crossing probability
     * of the continuous boundary a = Φ⁻¹(1 − α/4) on the score scale (reflection principle). So
     * c_k ≈ (a − ρ/√K)/√t_k, good to O(1/K). The fixed grid used to give 8.8 (500 looks), 15.3 (672)
     * and −10 (800).
     */
    @Test
    void manyEqualLooksMatchTheCorrectedDiffusionApproximation() {
        double a = Distributions.normalQuantile(1 - 0.05 / 4);
        for (int looks : new int[] {500, 672, 800, 2000}) {
            double[] c = LanDeMetsBoundaries.boundaries(equallySpaced(looks), 0.05, true);
            double rho = 0.5826;
            assertThat(c[looks - 1]).as("final of %d", looks).isCloseTo(a - rho / Math.sqrt(looks), within(0.002));
            int half = looks / 2 - 1;
            assertThat(c[half]).as("half-way of %d", looks)
                    .isCloseTo((a - rho / Math.sqrt(looks)) / Math.sqrt(0.5), within(0.003));
            for (int k = 1; k < looks; k++) {
                assertThat(c[k]).as("look %d of %d", k + 1, looks).isPositive().isLessThanOrEqualTo(c[k - 1]);
            }
        }
    }

    /** The total crossing probability under the null is α at 672 and 2,000 equal looks (Brownian paths). */
    @Test
    void manyEqualLooksSpendExactlyAlphaBySimulation() {
        assertSpendsAlpha(equallySpaced(672), 40_000, 11);
        assertSpendsAlpha(equallySpaced(2000), 20_000, 12);
    }

    /**
     * Hourly looks over 28 days with day/night traffic (increments varying by a factor of 9), a
     * few tiny increments (a look after one more user in a million) and a large jump: α by
     * simulation, and the boundaries stay positive and finite once spending starts.
     */
    @Test
    void unevenAndTinyIncrementsSpendExactlyAlphaBySimulation() {
        int hours = 672;
        double[] traffic = new double[hours];
        double total = 0;
        for (int h = 0; h < hours; h++) {
            traffic[h] = 1 + 0.8 * Math.sin(2 * Math.PI * h / 24.0);
            total += traffic[h];
        }
        double[] t = new double[hours + 4];
        double n = 0;
        int k = 0;
        for (int h = 0; h < hours; h++) {
            n += traffic[h] / total;
            if (h == 200 || h == 400) {
                t[k++] = n;
                n += 1e-6; // one more user in a million, looked at again at once
            }
            if (h == 500) {
                n += 0.001; // a jump of about two days' traffic missed
                t[k++] = n;
                n += 1e-6;
            }
            t[k++] = n;
        }
        double[] fractions = java.util.Arrays.copyOf(t, k);
        fractions[k - 1] = 1.0;
        double[] c = LanDeMetsBoundaries.boundaries(fractions, 0.05, true);
        for (int i = 0; i < k; i++) {
            assertThat(c[i]).as("look %d", i + 1).isPositive();
        }
        assertThat(c[k - 1]).isBetween(2.0, 2.3);
        assertSpendsAlpha(fractions, 40_000, 13);
    }

    /**
     * Overrun: looks at 0.5, 0.9 and 1.3 of the planned maximum. The last look has 1.3 times the
     * planned information, used as such in the correlations, and spends what remains of α: the
     * true level is α (it was 0.0586 with the information capped at 1). Later looks spend nothing.
     */
    @Test
    void overrunUsesTheActualInformationAndSpendsWhatRemains() {
        double[] t = {0.5, 0.9, 1.3};
        double[] c = LanDeMetsBoundaries.boundaries(t, 0.05, true);
        assertThat(c[2]).isBetween(2.0, 2.5); // little is left to spend, at lower correlation with look 2
        assertSpendsAlpha(t, 200_000, 14);
        assertThat(LanDeMetsBoundaries.boundaries(new double[] {0.5, 0.9, 1.3, 1.6}, 0.05, true)[3]).isInfinite();
    }

    /**
     * A sequence that extends a cached one is answered from it: its boundaries equal those computed
     * afresh, and a prefix of a known sequence is its prefix.
     */
    @Test
    void extendingAndPrefixesAgreeWithAFreshComputation() {
        double[] t = new double[300];
        for (int i = 0; i < t.length; i++) {
            t[i] = (i + 1) / 317.0;
        }
        double[] all = LanDeMetsBoundaries.boundaries(t, 0.04, true);
        double[] prefix = LanDeMetsBoundaries.boundaries(java.util.Arrays.copyOf(t, 150), 0.04, true);
        assertThat(prefix).containsExactly(java.util.Arrays.copyOf(all, 150));
        double[] branched = java.util.Arrays.copyOf(t, 300);
        branched[299] = 299.5 / 317.0;
        double[] other = LanDeMetsBoundaries.boundaries(branched, 0.04, true);
        assertThat(java.util.Arrays.copyOf(other, 299)).containsExactly(java.util.Arrays.copyOf(all, 299));
        assertThat(other[299]).isNotEqualTo(all[299]).isCloseTo(all[299], within(0.01));
    }

    /** Seeded Brownian paths at information {@code t}: the two-sided crossing rate is α within 3 SE. */
    private static void assertSpendsAlpha(double[] t, int paths, long seed) {
        double[] c = LanDeMetsBoundaries.boundaries(t, 0.05, true);
        double[] sd = new double[t.length];
        double[] bound = new double[t.length];
        for (int k = 0; k < t.length; k++) {
            sd[k] = Math.sqrt(t[k] - (k == 0 ? 0 : t[k - 1]));
            bound[k] = c[k] * Math.sqrt(t[k]); // on the score scale S_k = Z_k √t_k
        }
        SplittableRandom random = new SplittableRandom(seed);
        int crossed = 0;
        for (int p = 0; p < paths; p++) {
            double s = 0;
            for (int k = 0; k < t.length; k++) {
                s += random.nextGaussian() * sd[k];
                if (Math.abs(s) >= bound[k]) {
                    crossed++;
                    break;
                }
            }
        }
        double se = Math.sqrt(0.05 * 0.95 / paths);
        assertThat((double) crossed / paths).as("crossing rate over %d looks", t.length)
                .isCloseTo(0.05, within(3 * se));
    }

    private static double gaussian(SplittableRandom r) {
        return Distributions.normalQuantile(r.nextDouble());
    }
}
