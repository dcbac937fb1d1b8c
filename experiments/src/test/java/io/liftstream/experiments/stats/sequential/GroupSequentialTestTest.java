package io.liftstream.experiments.stats.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.Inference;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.Status;

import org.junit.jupiter.api.Test;

/** The group sequential decision at the current look: boundary, repeated interval, overrun, split α. */
class GroupSequentialTestTest {

    @org.junit.jupiter.api.BeforeEach
    void emptyTheCache() {
        FreshBoundaries.clearCache();
    }
    private static final double SE = 0.01;

    private static Effect effect(double z, long totalN) {
        return new Effect(Status.OK, z * SE, SE * SE, Double.POSITIVE_INFINITY, totalN, false);
    }

    /**
     * Overrun: plan 1,000, looks at 500, 900 and 1,300. The third look is the final analysis with
     * the actual information 1.3 (boundary of {@link LanDeMetsBoundaries} at t = 1.3, not at a
     * capped 1.0); a fourth look at 1,600 spends nothing: never significant, unbounded interval.
     */
    @Test
    void overrunIsTheFinalAnalysisAtTheActualInformation() {
        double c3 = LanDeMetsBoundaries.boundaries(new double[] {0.5, 0.9, 1.3}, 0.05, true)[2];
        double capped = LanDeMetsBoundaries.boundaries(new double[] {0.5, 0.9, 1.0}, 0.05, true)[2];
        assertThat(c3).isGreaterThan(capped + 0.05);
        Inference at3 = GroupSequentialTest.test(effect(c3 + 1e-6, 1300), Sides.TWO, 0.05,
                new GstPlan(1000, new long[] {500, 900, 1300}));
        assertThat(at3.significant()).isTrue();
        assertThat(at3.ciLower()).isCloseTo((c3 + 1e-6) * SE - c3 * SE, within(1e-12)).isPositive();
        Inference justBelow = GroupSequentialTest.test(effect(c3 - 1e-6, 1300), Sides.TWO, 0.05,
                new GstPlan(1000, new long[] {500, 900, 1300}));
        assertThat(justBelow.significant()).isFalse();
        assertThat(justBelow.ciLower()).isNegative();
        Inference after = GroupSequentialTest.test(effect(10, 1600), Sides.TWO, 0.05,
                new GstPlan(1000, new long[] {500, 900, 1300, 1600}));
        assertThat(after.significant()).isFalse();
        assertThat(after.ciLower()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(after.ciUpper()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    /** With k − 1 comparisons each spends α/(k − 1); boundary, interval and decision agree. */
    @Test
    void splitAlphaMovesBoundaryIntervalAndDecisionTogether() {
        assertThat(GroupSequentialTest.perComparisonAlpha(0.05, 1)).isEqualTo(0.05);
        assertThat(GroupSequentialTest.perComparisonAlpha(0.05, 3)).isCloseTo(0.05 / 3, within(1e-15));
        GstPlan plan = new GstPlan(10_000, new long[] {5_000, 10_000});
        double full = LanDeMetsBoundaries.boundaries(plan.fractions(), 0.05, true)[1];
        double split = LanDeMetsBoundaries.boundaries(plan.fractions(), 0.05 / 3, true)[1];
        assertThat(split).isGreaterThan(full + 0.3);
        double z = 0.5 * (full + split);
        Inference one = GroupSequentialTest.test(effect(z, 10_000), Sides.TWO, 0.05, plan);
        Inference family = GroupSequentialTest.test(effect(z, 10_000), Sides.TWO,
                GroupSequentialTest.perComparisonAlpha(0.05, 3), plan);
        assertThat(one.significant()).isTrue();
        assertThat(one.ciLower()).isPositive();
        assertThat(family.significant()).isFalse();
        assertThat(family.ciLower()).isNegative();
        assertThat(family.ciUpper() - family.ciLower()).isCloseTo(2 * split * SE, within(1e-12));
    }
}
