package io.liftstream.experiments.stats.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.Inference;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.Status;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edges of the sequential methods that the golden-value tests do not reach: one-sided group
 * sequential decisions and intervals, the boundary itself, the plan's validation and identity, the
 * one-sided mSPRT intervals, the one-sided confidence-sequence p-value in its closed form across
 * the switch to the large-L form, and a tuning of 0.
 */
class SequentialEdgeCasesTest {

    @BeforeEach
    void emptyTheCache() {
        FreshBoundaries.clearCache();
    }

    private static Effect effect(double estimate, double se, long totalN) {
        return new Effect(Status.OK, estimate, se * se, Double.POSITIVE_INFINITY, totalN, false);
    }

    private static final GstPlan TWO_LOOKS = new GstPlan(10_000, new long[] {5_000, 10_000});

    /**
     * One-sided GST: level α on one side, the interval open on the other, p the one-sided nominal
     * p-value; "lesser" is "greater" mirrored.
     */
    @Test
    void oneSidedGroupSequentialDecisionsAndIntervals() {
        double c = LanDeMetsBoundaries.lastBoundary(TWO_LOOKS.fractions(), 0.05, false);
        assertThat(c).isBetween(1.6, 1.8); // one-sided 5 %, nearly all spent at the end
        double se = 0.02;
        Inference up = GroupSequentialTest.test(effect((c + 0.01) * se, se, 10_000), Sides.GREATER, 0.05, TWO_LOOKS);
        assertThat(up.significant()).isTrue();
        assertThat(up.ciLower()).isCloseTo(0.01 * se, within(1e-12));
        assertThat(up.ciUpper()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(up.pValue()).isCloseTo(Distributions.normalSf(c + 0.01), within(1e-15));
        Inference upBelow = GroupSequentialTest.test(effect((c - 0.01) * se, se, 10_000), Sides.GREATER, 0.05, TWO_LOOKS);
        assertThat(upBelow.significant()).isFalse();
        assertThat(upBelow.ciLower()).isNegative();

        Inference down = GroupSequentialTest.test(effect(-(c + 0.01) * se, se, 10_000), Sides.LESSER, 0.05, TWO_LOOKS);
        assertThat(down.significant()).isTrue();
        assertThat(down.ciUpper()).isCloseTo(-0.01 * se, within(1e-12));
        assertThat(down.ciLower()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(down.pValue()).isCloseTo(Distributions.normalCdf(-(c + 0.01)), within(1e-15));
        Inference downWrongWay = GroupSequentialTest.test(effect((c + 0.01) * se, se, 10_000), Sides.LESSER, 0.05, TWO_LOOKS);
        assertThat(downWrongWay.significant()).isFalse();
        assertThat(downWrongWay.pValue()).isGreaterThan(0.95);
    }

    /** Past the final analysis a one-sided test is over too: never significant, interval unbounded. */
    @Test
    void oneSidedAfterTheFinalAnalysisIsUnbounded() {
        GstPlan after = new GstPlan(1000, new long[] {500, 1000, 1200});
        Inference up = GroupSequentialTest.test(effect(1.0, 0.01, 1200), Sides.GREATER, 0.05, after);
        assertThat(up.significant()).isFalse();
        assertThat(up.ciLower()).isEqualTo(Double.NEGATIVE_INFINITY);
        Inference down = GroupSequentialTest.test(effect(-1.0, 0.01, 1200), Sides.LESSER, 0.05, after);
        assertThat(down.significant()).isFalse();
        assertThat(down.ciUpper()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    /**
     * Rejection is at |z| ≥ c (J&amp;T's convention): a z exactly on the boundary is significant,
     * its interval just touches 0; and the two-sided p-value is the nominal 2Φ̄(|z|).
     */
    @Test
    void aZExactlyOnTheBoundaryRejectsAndTheTwoSidedPValueIsNominal() {
        double c = LanDeMetsBoundaries.lastBoundary(TWO_LOOKS.fractions(), 0.05, true);
        Inference at = GroupSequentialTest.test(effect(c, 1.0, 10_000), Sides.TWO, 0.05, TWO_LOOKS);
        assertThat(at.significant()).isTrue();
        assertThat(at.ciLower()).isEqualTo(0.0);
        assertThat(at.ciUpper()).isEqualTo(2 * c);
        assertThat(at.pValue()).isCloseTo(2 * Distributions.normalSf(c), within(1e-15)).isLessThan(0.05);
        assertThat(GroupSequentialTest.test(effect(-c, 1.0, 10_000), Sides.TWO, 0.05, TWO_LOOKS).significant()).isTrue();
        assertThat(GroupSequentialTest.test(effect(c, 1.0, 10_000), Sides.GREATER, 0.05, TWO_LOOKS).significant())
                .isTrue(); // the one-sided c is lower still
        double c1 = LanDeMetsBoundaries.lastBoundary(TWO_LOOKS.fractions(), 0.05, false);
        assertThat(GroupSequentialTest.test(effect(c1, 1.0, 10_000), Sides.GREATER, 0.05, TWO_LOOKS).significant()).isTrue();
        assertThat(GroupSequentialTest.test(effect(-c1, 1.0, 10_000), Sides.LESSER, 0.05, TWO_LOOKS).significant()).isTrue();
        assertThat(GroupSequentialTest.test(effect(0.0, 1.0, 10_000), Sides.TWO, 0.05, TWO_LOOKS).pValue()).isEqualTo(1.0);
    }

    @Test
    void planValidationNamesTheOption() {
        assertThatThrownBy(() -> new GstPlan(0, new long[] {1})).hasMessage("gst.max_n must be positive");
        assertThatThrownBy(() -> new GstPlan(-5, new long[] {1})).hasMessage("gst.max_n must be positive");
        assertThatThrownBy(() -> new GstPlan(10, new long[0])).hasMessage("gst.looks_n must name at least the current look");
        assertThatThrownBy(() -> new GstPlan(10, new long[] {0})).hasMessage("gst.looks_n must be positive");
        assertThatThrownBy(() -> new GstPlan(10, new long[] {3, -1})).hasMessage("gst.looks_n must be positive");
        assertThatThrownBy(() -> new GstPlan(10, new long[] {3, 3})).hasMessage("gst.looks_n must increase strictly");
        assertThatThrownBy(() -> new GstPlan(10, new long[] {3, 2})).hasMessage("gst.looks_n must increase strictly");
        GstPlan smallest = new GstPlan(1, new long[] {1, 2});
        assertThat(smallest.fractions()).containsExactly(1.0, 2.0);
    }

    /** withCurrent appends the current n unless it is already the last look, and refuses going back. */
    @Test
    void withCurrentAppendsTheCurrentLookOnce() {
        assertThat(GstPlan.withCurrent(1000, new long[0], 300).looks()).containsExactly(300);
        assertThat(GstPlan.withCurrent(1000, new long[] {200, 300}, 300).looks()).containsExactly(200, 300);
        assertThat(GstPlan.withCurrent(1000, new long[] {200, 300}, 301).looks()).containsExactly(200, 300, 301);
        assertThat(GstPlan.withCurrent(1000, new long[] {200}, 650).fractions()).containsExactly(0.2, 0.65);
        assertThatThrownBy(() -> GstPlan.withCurrent(1000, new long[] {200, 300}, 299))
                .hasMessage("the current total n (299) is below the last of gst.looks_n (300)");
        assertThatThrownBy(() -> GstPlan.withCurrent(1000, new long[] {200, 300}, 250))
                .hasMessage("the current total n (250) is below the last of gst.looks_n (300)");
    }

    /** Value semantics over the array's content; the looks are copied in and out. */
    @Test
    void planIsAValueWithCopiedLooks() {
        long[] looks = {100, 200};
        GstPlan plan = new GstPlan(1000, looks);
        looks[0] = 150;
        assertThat(plan.looks()).containsExactly(100, 200);
        plan.looks()[1] = 999;
        assertThat(plan.looks()).containsExactly(100, 200);
        GstPlan same = new GstPlan(1000, new long[] {100, 200});
        assertThat(plan).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(plan).isNotEqualTo(new GstPlan(1001, new long[] {100, 200}));
        assertThat(plan).isNotEqualTo(new GstPlan(1000, new long[] {100, 201}));
        assertThat(plan).isNotEqualTo("GstPlan[maxN=1000, looks=[100, 200]]");
        assertThat(plan.hashCode()).isNotEqualTo(new GstPlan(1000, new long[] {200, 100 + 200}).hashCode());
        assertThat(plan.hashCode()).isEqualTo(31 * Long.hashCode(1000) + java.util.Arrays.hashCode(new long[] {100, 200}));
        assertThat(plan).hasToString("GstPlan[maxN=1000, looks=[100, 200]]");
    }

    /** The one-sided mSPRT interval is est ∓ the two-sided half-width, open on the unneeded side. */
    @Test
    void oneSidedMixtureSprtIntervals() {
        double v = 0.0001;
        double tau2 = 0.0025;
        double hw = MixtureSprt.halfWidth(v, tau2, 0.05);
        Effect e = effect(0.04, Math.sqrt(v), 10_000);
        Inference greater = MixtureSprt.test(e, Sides.GREATER, 0.05, tau2, 1.0);
        assertThat(greater.ciLower()).isCloseTo(0.04 - hw, within(1e-15));
        assertThat(greater.ciUpper()).isEqualTo(Double.POSITIVE_INFINITY);
        Inference lesser = MixtureSprt.test(e, Sides.LESSER, 0.05, tau2, 1.0);
        assertThat(lesser.ciLower()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(lesser.ciUpper()).isCloseTo(0.04 + hw, within(1e-15));
        assertThat(lesser.pValue()).isEqualTo(1.0);
        Inference two = MixtureSprt.test(e, Sides.TWO, 0.05, tau2, 1.0);
        assertThat(two.ciLower()).isCloseTo(0.04 - hw, within(1e-15));
        assertThat(two.ciUpper()).isCloseTo(0.04 + hw, within(1e-15));
        assertThat(greater.pValue()).isEqualTo(two.pValue()).isLessThan(0.05);
    }

    /**
     * The one-sided always-valid p-value is √(nρ²+1)/(2(e^L − 1)) exactly, below and above L = 30
     * where the code switches to L + ln(1 − e^−L) to avoid overflow (relative error 3e-14; the
     * switch's term e^−L is 1e-13 of p at L = 30).
     */
    @Test
    void oneSidedConfidenceSequencePValueIsTheClosedFormAcrossTheLargeLSwitch() {
        double rho = ConfidenceSequence.rho(0.05, SequentialConfig.DEFAULT_TUNING, false);
        long n = 20_000;
        double se = 0.01;
        double nr2p1 = n * rho * rho + 1;
        int checked = 0;
        for (double targetL : new double[] {2, 10, 29.5, 30.2, 31, 40, 200}) {
            // L = ρ²·(est/se)²·n / (2(nρ²+1)) → est for the target L
            double est = se * Math.sqrt(targetL * 2 * nr2p1 / (rho * rho * n));
            Effect e = effect(est, se, n);
            double l = rho * rho * (est * est / e.variance() * n) / (2 * nr2p1);
            double expected = Math.min(1.0, Math.sqrt(nr2p1) / (2 * Math.expm1(l)));
            double p = ConfidenceSequence.test(e, Sides.GREATER, 0.05, SequentialConfig.DEFAULT).pValue();
            assertThat(p).as("L = %s", l).isCloseTo(expected, org.assertj.core.api.Assertions.withinPercentage(3e-12));
            Effect mirrored = effect(-est, se, n);
            assertThat(ConfidenceSequence.test(mirrored, Sides.LESSER, 0.05, SequentialConfig.DEFAULT).pValue())
                    .isEqualTo(p);
            assertThat(ConfidenceSequence.test(mirrored, Sides.GREATER, 0.05, SequentialConfig.DEFAULT).pValue())
                    .isEqualTo(1.0);
            checked++;
        }
        assertThat(checked).isEqualTo(7);
    }

    /** An estimate whose square underflows carries no evidence: p = 1 on either one side. */
    @Test
    void aVanishingEstimateGivesPOne() {
        Effect tiny = effect(1e-200, 0.01, 10_000);
        assertThat(ConfidenceSequence.test(tiny, Sides.GREATER, 0.05, SequentialConfig.DEFAULT).pValue()).isEqualTo(1.0);
        assertThat(ConfidenceSequence.test(tiny, Sides.GREATER, 0.05, SequentialConfig.DEFAULT).significant()).isFalse();
        Effect tinyDown = effect(-1e-200, 0.01, 10_000);
        assertThat(ConfidenceSequence.test(tinyDown, Sides.LESSER, 0.05, SequentialConfig.DEFAULT).pValue()).isEqualTo(1.0);
    }

    @Test
    void tuningMustBePositiveAndFinite() {
        for (double bad : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new SequentialConfig(bad)).as("tuning %s", bad)
                    .hasMessage("sequential_tuning must be a positive number, was " + bad);
        }
        assertThat(new SequentialConfig(Double.MIN_VALUE).tuning()).isEqualTo(Double.MIN_VALUE);
    }
}
