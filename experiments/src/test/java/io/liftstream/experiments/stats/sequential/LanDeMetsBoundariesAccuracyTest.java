package io.liftstream.experiments.stats.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

/**
 * {@link LanDeMetsBoundaries} to the accuracy its grid reaches (a few 1e-6 on the Z scale), against
 * {@link ReferenceBoundaries}, a plain fixed-fine-grid implementation. The golden values below are
 * the reference's at 50 points per standard deviation of the smallest increment (they agree with 25
 * points to 2e-9; {@link #theReferenceReproducesItsGoldenValues} recomputes one case). They cover
 * what the coarser production grid must get right: equal looks, one- and two-sided, an increment
 * so small that the previous density is interpolated onto a finer grid, looks that spend nothing,
 * and an overrun. The cache is emptied before each test, so each test checks its own computation.
 */
class LanDeMetsBoundariesAccuracyTest {
    /** Production grid error is below 6e-6 on these cases; the mutants this guards against are larger. */
    private static final double TOLERANCE = 2e-5;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static final double[] FIVE_EQUAL = {0.2, 0.4, 0.6, 0.8, 1.0};
    /** The look at 0.605 has σ = 0.07 against a grid spacing of 0.034 after look 2: interpolated. */
    private static final double[] TINY_INCREMENTS = {0.3, 0.6, 0.605, 0.61, 1.0};

    @BeforeEach
    void emptyTheCache() {
        FreshBoundaries.clearCache();
    }

    private static void assertBoundaries(double[] t, double alpha, boolean twoSided, double... expected) {
        FreshBoundaries.clearCache();
        assertMatches(LanDeMetsBoundaries.boundaries(t, alpha, twoSided), expected, "fresh");
        // The last boundary alone, also computed afresh, is the same number.
        FreshBoundaries.clearCache();
        assertThat(LanDeMetsBoundaries.lastBoundary(t, alpha, twoSided))
                .isEqualTo(LanDeMetsBoundaries.boundaries(t, alpha, twoSided)[t.length - 1]);
    }

    private static void assertMatches(double[] actual, double[] expected, String what) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (Double.isInfinite(expected[i])) {
                assertThat(actual[i]).as("%s look %d", what, i + 1).isEqualTo(expected[i]);
            } else {
                assertThat(actual[i]).as("%s look %d", what, i + 1).isCloseTo(expected[i], within(TOLERANCE));
            }
        }
    }

    /** The published 4.8769, 3.3570, 2.6803, 2.2898, 2.0310 (gsDesign sfLDOF), to 2e-5. */
    @Test
    void fiveEqualLooksTwoSided() {
        assertBoundaries(FIVE_EQUAL, 0.05, true, 4.876884949, 3.357011922, 2.680280065, 2.289816768, 2.031032044);
    }

    /** One-sided at α = 0.025: the same spending per side, only the lower region is not cut at −c. */
    @Test
    void fiveEqualLooksOneSided() {
        assertBoundaries(FIVE_EQUAL, 0.025, false, 4.876884949, 3.357011922, 2.680280065, 2.289816768, 2.031032044);
    }

    @Test
    void tinyIncrementsTwoSided() {
        assertBoundaries(TINY_INCREMENTS, 0.05, true, 3.928572543, 2.669972004, 2.728744479, 2.741444134, 1.983156370);
    }

    @Test
    void tinyIncrementsOneSided() {
        assertBoundaries(TINY_INCREMENTS, 0.05, false, 3.392951355, 2.280851869, 2.345998876, 2.362522413, 1.682682328);
    }

    @Test
    void overrunTwoSided() {
        assertBoundaries(new double[] {0.5, 0.9, 1.3}, 0.05, true, 2.962588043, 2.104957561, 2.199849383);
    }

    /** A first look too early to spend anything (+∞), and a last look before the plan's end. */
    @Test
    void earlyLookThatSpendsNothingAndNoFinalAnalysis() {
        assertBoundaries(new double[] {0.05, 0.1, 0.4, 0.41, 0.9, 0.95}, 0.1, true,
                INF, 6.087892875, 2.887446577, 2.924636631, 1.773187302, 1.820418673);
    }

    /** 100 equal looks: the grid is at its MIN_INTERVALS floor early and scaled by σ late. */
    @Test
    void hundredEqualLooks() {
        double[] t = new double[100];
        for (int i = 0; i < t.length; i++) {
            t[i] = (i + 1) / 100.0;
        }
        double[] c = LanDeMetsBoundaries.boundaries(t, 0.05, true);
        assertThat(c[0]).isInfinite();
        assertThat(c[9]).isCloseTo(6.994288961, within(1e-3));
        assertThat(c[49]).isCloseTo(3.094845176, within(TOLERANCE));
        assertThat(c[99]).isCloseTo(2.185421460, within(TOLERANCE));
    }

    @Test
    void theReferenceReproducesItsGoldenValues() {
        assertMatches(ReferenceBoundaries.boundaries(TINY_INCREMENTS, 0.05, true, 25),
                new double[] {3.928572543, 2.669972004, 2.728744479, 2.741444134, 1.983156370}, "reference");
    }

    /**
     * The cache answers a prefix, an extension, a branch (the last look replaced: the streaming
     * case when a look is re-taken) and a sequence differing only in α or sides exactly as a
     * fresh computation does, whatever was asked before.
     */
    @Test
    void cachedAnswersEqualFreshOnesWhateverWasAskedBefore() {
        double[] base = {0.1, 0.25, 0.4, 0.55, 0.7};
        double[] extended = {0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0};
        double[] branched = {0.1, 0.25, 0.4, 0.55, 0.72};
        double[] branchedExtended = {0.1, 0.25, 0.4, 0.55, 0.72, 1.0};
        double[] prefix = {0.1, 0.25, 0.4};
        double[] other = {0.1, 0.3, 0.4};
        double[][] sequences = {base, extended, branched, branchedExtended, prefix, other};
        double[][] fresh = new double[sequences.length * 3][];
        for (int i = 0; i < sequences.length; i++) {
            FreshBoundaries.clearCache();
            fresh[3 * i] = LanDeMetsBoundaries.boundaries(sequences[i], 0.05, true);
            FreshBoundaries.clearCache();
            fresh[3 * i + 1] = LanDeMetsBoundaries.boundaries(sequences[i], 0.05, false);
            FreshBoundaries.clearCache();
            fresh[3 * i + 2] = LanDeMetsBoundaries.boundaries(sequences[i], 0.04, true);
        }
        FreshBoundaries.clearCache();
        // Two passes in different orders over the same questions, on a warm cache.
        for (int pass = 0; pass < 2; pass++) {
            for (int n = 0; n < sequences.length; n++) {
                int i = pass == 0 ? n : sequences.length - 1 - n;
                String what = "pass " + pass + " sequence " + Arrays.toString(sequences[i]);
                assertThat(LanDeMetsBoundaries.boundaries(sequences[i], 0.05, true)).as(what).containsExactly(fresh[3 * i]);
                assertThat(LanDeMetsBoundaries.boundaries(sequences[i], 0.05, false)).as(what + " one-sided")
                        .containsExactly(fresh[3 * i + 1]);
                assertThat(LanDeMetsBoundaries.lastBoundary(sequences[i], 0.04, true)).as(what + " α 0.04")
                        .isEqualTo(fresh[3 * i + 2][sequences[i].length - 1]);
            }
        }
        // Branches are real alternatives: the branched look differs from the one it replaced.
        assertThat(fresh[6][4]).isNotEqualTo(fresh[0][4]);
        assertThat(Arrays.copyOf(fresh[6], 4)).containsExactly(Arrays.copyOf(fresh[0], 4));
    }

    /** More sequences than the cache holds (128): the oldest are evicted, answers stay right. */
    @Test
    void manySequencesBeyondTheCacheSizeStayRight() {
        double[] first = {0.2, 0.5, 1.0};
        double[] expected = LanDeMetsBoundaries.boundaries(first, 0.05, true);
        for (int i = 0; i < 140; i++) {
            double[] t = {0.2, 0.5 + i / 1000.0, 1.0};
            double[] c = LanDeMetsBoundaries.boundaries(t, 0.05, true);
            assertThat(c[0]).isEqualTo(expected[0]);
            assertThat(c[2]).isBetween(1.9, 2.1);
        }
        assertThat(LanDeMetsBoundaries.boundaries(first, 0.05, true)).containsExactly(expected);
    }

    /** Growing a sequence one look at a time (the streaming case) equals computing it at once. */
    @Test
    void oneLookAtATimeEqualsAllAtOnce() {
        double[] t = new double[40];
        for (int i = 0; i < t.length; i++) {
            t[i] = (i + 1) / 40.0;
        }
        double[] all = LanDeMetsBoundaries.boundaries(t, 0.05, true);
        FreshBoundaries.clearCache();
        for (int k = 1; k <= t.length; k++) {
            assertThat(LanDeMetsBoundaries.lastBoundary(Arrays.copyOf(t, k), 0.05, true)).as("look %d", k)
                    .isEqualTo(all[k - 1]);
        }
    }

    @Test
    void spentIsTheSpendingFunctionClampedToZeroAndAlpha() {
        assertThat(LanDeMetsBoundaries.spent(1.0, 0.025)).isEqualTo(0.025);
        assertThat(LanDeMetsBoundaries.spent(1.7, 0.025)).isEqualTo(0.025);
        assertThat(LanDeMetsBoundaries.spent(0.0, 0.025)).isEqualTo(0.0);
        assertThat(LanDeMetsBoundaries.spent(-0.5, 0.025)).isEqualTo(0.0);
        assertThat(LanDeMetsBoundaries.spent(0.5, 0.025)).isCloseTo(ReferenceBoundaries.spent(0.5, 0.025), within(1e-17))
                .isCloseTo(0.00152532, within(1e-8)); // 2Φ̄(2.24140/√0.5), scipy: 0.0015253227579889
        assertThat(LanDeMetsBoundaries.spent(Math.nextDown(1.0), 0.025)).isCloseTo(0.025, within(1e-15));
    }

    @Test
    void invalidLooksAndLevelsAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> LanDeMetsBoundaries.boundaries(new double[] {0.0, 1.0}, 0.05, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("information fractions must be positive");
        assertThatThrownBy(() -> LanDeMetsBoundaries.boundaries(new double[] {0.5, Double.NaN}, 0.05, true))
                .hasMessage("information fractions must be positive");
        assertThatThrownBy(() -> LanDeMetsBoundaries.lastBoundary(new double[] {0.5, INF}, 0.05, true))
                .hasMessage("information fractions must be positive");
        assertThatThrownBy(() -> LanDeMetsBoundaries.boundaries(new double[] {0.5, 0.5}, 0.05, true))
                .hasMessage("looks must increase");
        assertThatThrownBy(() -> LanDeMetsBoundaries.lastBoundary(new double[] {0.5, 0.4}, 0.05, true))
                .hasMessage("looks must increase");
        for (double alpha : new double[] {0.0, 1.0, -0.1, Double.NaN}) {
            assertThatThrownBy(() -> LanDeMetsBoundaries.boundaries(new double[] {0.5}, alpha, true))
                    .as("alpha %s", alpha).hasMessage("alpha must be in (0, 1)");
            assertThatThrownBy(() -> LanDeMetsBoundaries.lastBoundary(new double[] {0.5}, alpha, true))
                    .as("alpha %s", alpha).hasMessage("alpha must be in (0, 1)");
        }
        assertThat(LanDeMetsBoundaries.boundaries(new double[0], 0.05, true)).isEmpty();
        assertThatThrownBy(() -> LanDeMetsBoundaries.lastBoundary(new double[0], 0.05, true)).hasMessage("no look");
        assertThat(LanDeMetsBoundaries.boundaries(new double[] {1e-9, 0.5}, 0.99, false)[1]).isFinite();
    }
}
