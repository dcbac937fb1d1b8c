package io.liftstream.experiments.stats.multiple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The 15 p-values of Benjamini &amp; Hochberg (1995), section 4 (a multicentre trial): at q = 0.05
 * their step-up procedure rejects 4 hypotheses, the Bonferroni-type step-down (Holm) rejects 3.
 */
class PValueAdjustmentTest {
    static final double[] BH_1995 = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
        0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000};

    @Test
    void benjaminiHochbergRejectsFour() {
        double[] adj = PValueAdjustment.benjaminiHochberg(BH_1995);
        assertThat(countAtMost(adj, 0.05)).isEqualTo(4);
        // p̃₍ᵢ₎ = min_{j≥i} m p₍ⱼ₎/j, e.g. p̃₍₄₎ = 15·0.0095/4, p̃₍₆₎ = p̃₍₇₎ = 15·0.0298/7.
        assertThat(adj[3]).isCloseTo(15 * 0.0095 / 4, within(1e-15));
        assertThat(adj[4]).isCloseTo(15 * 0.0201 / 5, within(1e-15));
        assertThat(adj[5]).isCloseTo(15 * 0.0298 / 7, within(1e-15));
        assertThat(adj[6]).isCloseTo(15 * 0.0298 / 7, within(1e-15));
        assertThat(adj[14]).isEqualTo(1.0);
    }

    @Test
    void holmRejectsThree() {
        double[] adj = PValueAdjustment.holm(BH_1995);
        assertThat(countAtMost(adj, 0.05)).isEqualTo(3);
        assertThat(adj[0]).isCloseTo(15 * 0.0001, within(1e-15));
        assertThat(adj[2]).isCloseTo(13 * 0.0019, within(1e-15));
        assertThat(adj[3]).isCloseTo(12 * 0.0095, within(1e-15));
        assertThat(adj[14]).isEqualTo(1.0);
    }

    @Test
    void orderOfTheInputIsKept() {
        double[] adj = PValueAdjustment.holm(new double[] {0.04, 0.01, 0.03});
        assertThat(adj).containsExactly(0.06, 0.03, 0.06);
        assertThat(PValueAdjustment.benjaminiHochberg(new double[] {0.04, 0.01, 0.03}))
                .containsExactly(new double[] {0.04, 0.03, 0.04}, within(1e-15));
    }

    private static int countAtMost(double[] p, double q) {
        int n = 0;
        for (double v : p) {
            if (v <= q) {
                n++;
            }
        }
        return n;
    }
}
