package io.liftstream.experiments.stats.frequentist;

import static io.liftstream.experiments.stats.Golden.assertRounded5;
import static io.liftstream.experiments.stats.Golden.effect;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.Inference;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.Status;

import org.junit.jupiter.api.Test;

/**
 * Golden values from GrowthBook's gbstats test suite, packages/stats/tests/frequentist/test_tests.py
 * (TestTwoSidedTTest, TestOneSidedGreaterTTest, TestOneSidedLesserTTest), 5 decimals.
 */
class WelchTTestTest {
    static final SampleStats A = SampleStats.of(3407, 1396.87, 52377.9767);
    static final SampleStats B = SampleStats.of(3461, 2422.7, 134698.29);
    static final SampleStats A3000 = SampleStats.of(3000, 1396.87, 52377.9767);

    @Test
    void twoSidedRelative() {
        Effect e = effect(A, B, MetricType.MEAN, true);
        Inference r = WelchTTest.test(e, Sides.TWO, 0.05);
        assertRounded5(e.estimate(), 0.70732);
        assertRounded5(e.se(), 0.37879);
        assertRounded5(r.ciLower(), -0.03526);
        assertRounded5(r.ciUpper(), 1.44989);
        assertRounded5(r.pValue(), 0.06191);
        assertThat(r.significant()).isFalse();
    }

    @Test
    void twoSidedAbsolute() {
        Effect e = effect(A, B, MetricType.MEAN, false);
        Inference r = WelchTTest.test(e, Sides.TWO, 0.05);
        assertRounded5(e.estimate(), 0.29);
        assertRounded5(e.se(), 0.12478);
        assertRounded5(r.ciLower(), 0.04538);
        assertRounded5(r.ciUpper(), 0.53462);
        assertRounded5(r.pValue(), 0.02016);
        assertThat(r.significant()).isTrue();
    }

    @Test
    void twoSidedProportion() {
        Effect e = effect(SampleStats.of(28, 14, 14), SampleStats.of(30, 16, 16), MetricType.PROPORTION, true);
        Inference r = WelchTTest.test(e, Sides.TWO, 0.05);
        assertRounded5(e.estimate(), 0.06667);
        assertRounded5(e.se(), 0.2717);
        assertRounded5(r.ciLower(), -0.47767);
        assertRounded5(r.ciUpper(), 0.61101);
        assertRounded5(r.pValue(), 0.80707);
    }

    @Test
    void oneSidedGreaterAndLesser() {
        Effect rel = effect(A3000, B, MetricType.MEAN, true);
        Inference g = WelchTTest.test(rel, Sides.GREATER, 0.05);
        assertRounded5(rel.estimate(), 0.50336);
        assertRounded5(rel.se(), 0.33341);
        assertRounded5(g.ciLower(), -0.04514);
        assertThat(g.ciUpper()).isInfinite().isPositive();
        assertRounded5(g.pValue(), 0.06558);
        Inference l = WelchTTest.test(rel, Sides.LESSER, 0.05);
        assertThat(l.ciLower()).isInfinite().isNegative();
        assertRounded5(l.ciUpper(), 1.05186);
        assertRounded5(l.pValue(), 0.93442);

        Effect abs = effect(A3000, B, MetricType.MEAN, false);
        Inference ga = WelchTTest.test(abs, Sides.GREATER, 0.05);
        assertRounded5(abs.estimate(), 0.23438);
        assertRounded5(ga.ciLower(), 0.02079);
        assertRounded5(ga.pValue(), 0.03554);
        Inference la = WelchTTest.test(abs, Sides.LESSER, 0.05);
        assertRounded5(la.ciUpper(), 0.44796);
        assertRounded5(la.pValue(), 0.96446);
    }

    /**
     * gbstats returns its uninformative result when either arm has no variance. A treatment without a
     * conversion yet (n = 339, mean 0) against a converting control must not be "−100 %, p = 0": the
     * Taobao replay's first hourly look did exactly that before, and the always-valid p-value then
     * stayed 0 for good.
     */
    @Test
    void oneArmWithoutVarianceIsAStatusNotACertainty() {
        SampleStats control = SampleStats.of(327, 1, 1);
        SampleStats noConversions = SampleStats.of(339, 0, 0);
        assertThat(effect(control, noConversions, MetricType.PROPORTION, true).status()).isEqualTo(Status.ZERO_VARIANCE);
        assertThat(effect(control, noConversions, MetricType.PROPORTION, false).status()).isEqualTo(Status.ZERO_VARIANCE);
        assertThat(effect(noConversions, control, MetricType.PROPORTION, false).status()).isEqualTo(Status.ZERO_VARIANCE);
    }

    @Test
    void fewerThanTwoUnitsIsAStatus() {
        // gbstats test_two_sided_ttest_missing_variance: n = 2 with these sums has negative variance
        // there; here n < 2 and zero variance are statuses, never NaN.
        assertThat(effect(SampleStats.of(1, 3, 9), B, MetricType.MEAN, true).status()).isEqualTo(Status.TOO_FEW_UNITS);
        assertThat(effect(SampleStats.of(10, 20, 40), SampleStats.of(10, 30, 90), MetricType.MEAN, false).status())
                .isEqualTo(Status.ZERO_VARIANCE);
        assertThat(effect(SampleStats.of(10, 0, 0), SampleStats.of(10, 3, 3), MetricType.PROPORTION, true).status())
                .isEqualTo(Status.ZERO_CONTROL_MEAN);
        assertThat(effect(SampleStats.of(10, 1e300, Double.POSITIVE_INFINITY), B, MetricType.MEAN, true).status())
                .isEqualTo(Status.NUMERIC_OVERFLOW);
    }

    @Test
    void extremeZGivesZeroPValueNotNaN() {
        Effect e = effect(SampleStats.of(1_000_000, 100_000, 100_000), SampleStats.of(1_000_000, 200_000, 200_000),
                MetricType.PROPORTION, true);
        Inference r = WelchTTest.test(e, Sides.TWO, 0.05);
        assertThat(r.pValue()).isGreaterThanOrEqualTo(0).isLessThan(1e-300);
        assertThat(r.ciLower()).isFinite();
    }
}
