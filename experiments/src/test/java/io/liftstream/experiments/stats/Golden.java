package io.liftstream.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;

/** Asserting published values, which are printed rounded to a number of decimals. */
public final class Golden {
    private Golden() {}

    /** |actual − expected| ≤ half a unit in the 5th decimal: equal when both are rounded to 5 decimals. */
    public static void assertRounded5(double actual, double expected) {
        assertThat(Math.round(actual * 1e5) / 1e5).as("%s rounded to 5 decimals", actual)
                .isCloseTo(expected, Offset.offset(1e-9));
    }

    public static Effect effect(SampleStats control, SampleStats treatment, MetricType type, boolean relative) {
        return EffectEstimator.estimate(ArmMoments.of(control, type), ArmMoments.of(treatment, type), relative);
    }
}
